"""`{% comment_thread obj %}`: the thread under an object's page, as the reader sees it."""

from django import template
from django.urls import reverse

from lodestar.conversation.formatting import rendered
from lodestar.conversation.models import Comment
from lodestar.conversation.selectors import kind_of, thread
from lodestar.org.permissions import Action, reader_for

register = template.Library()
# The latest check-ins or values a comment may answer, offered in the form.
ANSWERABLE = 10


@register.inclusion_tag("conversation/thread.html", takes_context=True)
def comment_thread(context, target):
    person = context["request"].user
    reader = reader_for(person)
    kind = kind_of(target)
    comments = [
        {
            "comment": comment,
            "html": rendered(comment.body),
            "may_change": comment.author_id == person.pk and not comment.deleted,
            "may_delete": not comment.deleted and reader.can(Action.DELETE, comment),
        }
        for comment in thread(person, target)
    ]
    if kind.field == "key_result":
        answerable = target.checkins.order_by("-created_at")[:ANSWERABLE]
    elif kind.field == "measure":
        answerable = target.values.order_by("-period")[:ANSWERABLE]
    else:
        answerable = []
    return {
        "request": context["request"],
        "csrf_token": context.get("csrf_token"),
        "target": target,
        "kind": kind,
        "post_url": reverse(f"{kind.page}-comments", args=[target.pk]),
        "people_url": reverse(f"{kind.page}-comment-people", args=[target.pk]),
        "comments": comments,
        "may_post": reader.can(Action.ADD, Comment(author=person, **{kind.field: target})),
        "answerable": answerable,
        "answer_field": "checkin" if kind.field == "key_result" else "measure_value",
    }
