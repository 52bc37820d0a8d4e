"""Sending the comment notices: a person's pending notices go out as one message, by the
channel they chose (`notify`'s preference, message shapes and senders), once the oldest
has waited a quarter hour. A message takes every notice pending then, so nobody gets more
than one a quarter hour, however busy the threads.

Each notice is read again at send time with the recipient's rights: a comment deleted
since, or on an object they may no longer see, is dropped, not sent.
"""

import logging
from datetime import datetime, timedelta

from django.db.models import Min
from django.urls import reverse
from django.utils import timezone

from lodestar.conversation.models import CommentNotice
from lodestar.conversation.selectors import kind_of
from lodestar.notify.messages import Message, Section
from lodestar.notify.models import NotificationPreference
from lodestar.notify.rhythm import preference_of, send
from lodestar.org.models import Person
from lodestar.org.permissions import Action, reader_for

log = logging.getLogger(__name__)
BATCH = timedelta(minutes=15)
EXCERPT = 120


def due_people(now: datetime):
    """The people whose oldest pending notice has waited a quarter hour."""
    pending = CommentNotice.objects.filter(sent_at__isnull=True)
    oldest = pending.values("person").annotate(oldest=Min("created_at"))
    return [row["person"] for row in oldest.filter(oldest__lte=now - BATCH)]


def any_due(now: datetime) -> bool:
    return bool(due_people(now))


def path_of(comment) -> str:
    target = comment.target
    return f"{reverse(kind_of(target).page, args=[target.pk])}#comment-{comment.pk}"


def line(notice: CommentNotice) -> tuple[str, str]:
    comment = notice.comment
    words = " ".join(comment.body.split())
    words = words if len(words) <= EXCERPT else words[: EXCERPT - 1] + "…"
    who = str(comment.author) if comment.author else "Someone"
    return f"{who} {notice.get_reason_display()} on {comment.target}: {words}", path_of(comment)


def message_for(person: Person, notices: list[CommentNotice]) -> Message:
    reader = reader_for(person)
    lines = [
        line(notice)
        for notice in notices
        if not notice.comment.deleted and reader.can(Action.VIEW, notice.comment)
    ]
    count = f"{len(lines)} new comment" + ("" if len(lines) == 1 else "s")
    return Message("New comments", f"{count} for you.", [Section("Comments", lines)])


def claim(person_id: int, now: datetime) -> list[CommentNotice]:
    """This person's pending notices, claimed by marking them sent (a conditional UPDATE:
    of two workers, only one claims a row)."""
    ids = list(
        CommentNotice.objects.filter(person_id=person_id, sent_at__isnull=True).values_list(
            "pk", flat=True
        )
    )
    CommentNotice.objects.filter(pk__in=ids, sent_at__isnull=True).update(sent_at=now)
    return list(
        CommentNotice.objects.filter(pk__in=ids, sent_at=now).select_related(
            "person", "comment__author"
        )
    )


def deliver(person: Person, notices: list[CommentNotice]) -> None:
    preference = preference_of(person)
    message = message_for(person, notices)
    if preference.channel == NotificationPreference.Channel.OFF or message.empty:
        return
    chat = (NotificationPreference.Channel.SLACK, NotificationPreference.Channel.TEAMS)
    if preference.channel in chat:
        send(preference.channel, preference.webhook_url, message)
    else:
        send("email", person.email, message)


def comment_notices_send(now: datetime | None = None) -> int:
    """Send every digest due now; how many messages were attempted. A failed one is
    logged and its notices wait for the next turn."""
    now = now or timezone.now()
    attempted = 0
    for person_id in due_people(now):
        notices = claim(person_id, now)
        if not notices:
            continue
        attempted += 1
        try:
            deliver(notices[0].person, notices)
        except Exception as error:  # logged and retried, never blocking the others
            log.warning("Comment digest to person %s failed: %s", person_id, error)
            CommentNotice.objects.filter(pk__in=[n.pk for n in notices]).update(sent_at=None)
    return attempted
