"""Writes of comments: post, edit and delete one's own (admins delete anyone's). Each
write names the people it owes a notice (mentioned, replied to, owning the object), each
only if they may see the object; a mention of anyone else reaches nobody and is named
back to the writer."""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils import timezone

from lodestar.conversation.formatting import mentioned_usernames
from lodestar.conversation.models import COMMENT_LENGTH, TARGETS, Comment, CommentNotice, Mention
from lodestar.okrs.models import CheckIn
from lodestar.org.acting import Actor, service
from lodestar.org.changes import changed_nothing
from lodestar.org.models import Person
from lodestar.org.permissions import Action, reader_for, require
from lodestar.strategy.models import MeasureValue
from lodestar.validation import validated_save

Reason = CommentNotice.Reason


@dataclass
class Posted:
    comment: Comment
    # People mentioned who may not see the object: nobody was told.
    unreached: list[Person] = field(default_factory=list)


def checked_body(body: str) -> str:
    body = body.strip()
    if not body:
        raise ValidationError({"body": ["Write something to post."]})
    if len(body) > COMMENT_LENGTH:
        raise ValidationError(
            {"body": [f"A comment holds at most {COMMENT_LENGTH:,} characters ({len(body):,})."]}
        )
    return body


def sees(person: Person, target: models.Model) -> bool:
    return person.is_active and reader_for(person).can(Action.VIEW, target)


def mention(comment: Comment, acting: Person, known: set[int]) -> tuple[list, list]:
    """Mention rows for the @usernames not mentioned before in `comment`: (reached,
    unreached) people."""
    names = mentioned_usernames(comment.body)
    people = Person.objects.filter(username__in=names).exclude(pk__in=known | {acting.pk})
    reached, unreached = [], []
    for person in people.order_by("username"):
        (reached if sees(person, comment.target) else unreached).append(person)
    Mention.objects.bulk_create(
        [Mention(comment=comment, person=p, reaches=True) for p in reached]
        + [Mention(comment=comment, person=p, reaches=False) for p in unreached]
    )
    return reached, unreached


def owe_notices(comment: Comment, acting: Person, reached: list[Person]) -> None:
    """One notice per person for this comment, the first reason kept: a mention, a reply
    (to their comment or check-in), a comment on what they own."""
    owed = {person.pk: (person, Reason.MENTION) for person in reached}
    replied = comment.reply_to.author if comment.reply_to else None
    replied = replied or (comment.checkin.author if comment.checkin else None)
    for person, reason in ((replied, Reason.REPLY), (comment.target.owner, Reason.OWNED)):
        if person is not None and person.pk not in owed and sees(person, comment.target):
            owed[person.pk] = (person, reason)
    owed.pop(acting.pk, None)
    CommentNotice.objects.bulk_create(
        [CommentNotice(person=p, comment=comment, reason=r) for p, r in owed.values()],
        ignore_conflicts=True,
    )


def check_thread(comment: Comment) -> None:
    """A check-in, a period's value and a comment replied to belong to the same object."""
    checkin: CheckIn | None = comment.checkin
    if checkin is not None and checkin.key_result_id != comment.key_result_id:
        raise ValidationError({"checkin": ["That check-in is not one of this key result's."]})
    value: MeasureValue | None = comment.measure_value
    if value is not None and value.measure_id != comment.measure_id:
        raise ValidationError({"measure_value": ["That value is not one of this measure's."]})
    reply_to = comment.reply_to
    if reply_to is not None and (reply_to.target != comment.target or reply_to.deleted):
        raise ValidationError({"reply_to": ["Reply to a comment in this thread."]})


@service
def comment_post(
    *,
    acting: Actor,
    target: models.Model,
    body: str,
    checkin: CheckIn | None = None,
    measure_value: MeasureValue | None = None,
    reply_to: Comment | None = None,
) -> Posted:
    name = next(
        (n for n in TARGETS if isinstance(target, Comment._meta.get_field(n).related_model)), None
    )
    if name is None:
        raise ValidationError(
            {"target": ["Comments go on objectives, key results, measures and initiatives."]}
        )
    comment = Comment(
        author=acting,
        body=checked_body(body),
        checkin=checkin,
        measure_value=measure_value,
        reply_to=reply_to,
        **{name: target},
    )
    require(acting, Action.ADD, comment)
    check_thread(comment)
    changed_nothing()  # words beside the figures: no kept figure reads them
    validated_save(comment)
    reached, unreached = mention(comment, acting, set())
    owe_notices(comment, acting, reached)
    return Posted(comment, unreached)


@service
def comment_edit(*, acting: Actor, comment: Comment, body: str) -> Posted:
    require(acting, Action.CHANGE, comment)
    if comment.author_id != acting.pk:
        raise PermissionDenied("You may edit only your own comments.")
    if comment.deleted:
        raise ValidationError({"body": ["This comment was deleted."]})
    comment.body, comment.edited_at = checked_body(body), timezone.now()
    changed_nothing()
    validated_save(comment, update_fields=["body", "edited_at"])
    # Someone newly mentioned by the edit is told; those told before are not told again.
    known = set(comment.mentions.values_list("person_id", flat=True))
    reached, unreached = mention(comment, acting, known)
    CommentNotice.objects.bulk_create(
        [CommentNotice(person=p, comment=comment, reason=Reason.MENTION) for p in reached],
        ignore_conflicts=True,
    )
    return Posted(comment, unreached)


@service
def comment_delete(*, acting: Actor, comment: Comment) -> Comment:
    require(acting, Action.DELETE, comment)
    if comment.deleted:
        return comment
    comment.body, comment.deleted_at = "", timezone.now()
    changed_nothing()
    validated_save(comment, update_fields=["body", "deleted_at"])
    comment.notices.filter(sent_at__isnull=True).delete()  # nothing left to tell
    return comment
