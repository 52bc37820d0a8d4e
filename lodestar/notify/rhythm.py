"""The week's reminders and digests: `plan_week` writes one Notification row per
(recipient, kind, ISO week) — the unique constraint makes a second run send nothing
twice — and `deliver_notifications` claims due rows with a conditional UPDATE (as the
webhook workers do, so several may run), composes each message for its reader at send
time and sends it by e-mail, Slack or Teams. A failure is logged and retried later; it
never blocks the other rows.

A digest is composed with the reader's own rights (`digest_for(person)`); a unit's
channel is read by many, so its digest is composed as a reader who sees only public
objectives.
"""

import json
import logging
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse
from django.utils import timezone

from lodestar.chat.links import checkin_link
from lodestar.insights.digest import Digest, digest_for, weekly_digests
from lodestar.notify import messages, workers
from lodestar.notify.messages import Message, Section
from lodestar.notify.models import Notification, NotificationPreference, UnitChannel
from lodestar.notify.owed import owed_by
from lodestar.okrs.selectors import visible_key_results
from lodestar.org.models import Person, Unit
from lodestar.org.selectors import subtree_ids, unit_parents
from lodestar.outbound import send as send_out
from lodestar.scores.figures import key_result_style
from lodestar.scoring.outcomes import Outcome, outcome_word

log = logging.getLogger(__name__)
TIMEOUT_SECONDS = 10
LEASE = timedelta(seconds=TIMEOUT_SECONDS * 4)
# The paces' words are the one table's (scoring.outcomes), as the pages word them.
SECTION_HEADINGS = {
    "at_risk": outcome_word(Outcome.AT_RISK).capitalize(),
    "stale": f"{outcome_word(Outcome.STALE).capitalize()} (no recent check-in)",
    "gaps": "Gaps between strategy and OKRs",
    "conflicts": "Conflicts and load",
    "quality": "OKR quality",
}  # and "Moved this week": the check-ins of the last 7 days


def iso_week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def preference_of(person: Person) -> NotificationPreference:
    found = NotificationPreference.objects.filter(person=person).first()
    return found or NotificationPreference(person=person)


def channel_reader() -> Person:
    """A reader with no rights beyond the public: a global viewer who is nobody (no
    memberships, no management chain), for messages many people read."""
    return Person(pk=0, username="channel", role=Person.Role.VIEWER, is_active=True)


# Planning ---------------------------------------------------------------------------
def plan_week(today: date | None = None) -> int:
    """Write this week's notifications that are due by today; returns how many are new."""
    today = today or timezone.localdate()
    week, now = iso_week(today), timezone.now()
    preferences = {p.person_id: p for p in NotificationPreference.objects.all()}
    default = NotificationPreference()

    def wants(person: Person) -> bool:
        preference = preferences.get(person.pk, default)
        return (
            preference.channel != preference.Channel.OFF and today.weekday() >= preference.weekday
        )

    rows = []
    for person in Person.objects.filter(is_active=True).order_by("pk"):
        if not wants(person):
            continue
        owed = owed_by(person)
        for kind, needed in (
            (Notification.Kind.CHECKIN_REMINDER, owed.checkins),
            (Notification.Kind.MEASURE_REMINDER, owed.measure_values),
        ):
            if needed:
                rows.append(Notification(recipient=f"person:{person.pk}", person=person, kind=kind))
    for digest in weekly_digests(today):
        if wants(digest.recipient) and not digest.empty:
            scope = f":unit:{digest.unit.pk}" if digest.unit else ":company"
            rows.append(
                Notification(
                    recipient=f"person:{digest.recipient.pk}{scope}",
                    person=digest.recipient,
                    unit=digest.unit,
                    kind=Notification.Kind.DIGEST,
                )
            )
    channels = UnitChannel.objects.exclude(slack_url="", teams_url="").select_related("unit")
    for channel in channels:
        rows.append(
            Notification(
                recipient=f"unit:{channel.unit_id}",
                unit=channel.unit,
                kind=Notification.Kind.DIGEST,
            )
        )
    before = Notification.objects.filter(week=week).count()
    for row in rows:
        row.week, row.next_attempt_at = week, now
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    return Notification.objects.filter(week=week).count() - before


# Composing --------------------------------------------------------------------------
def moved_this_week(reader: Person, unit: Unit | None) -> list[tuple[str, str]]:
    """Key results the reader may see that had a check-in in the last 7 days, with their
    score: what moved. For a unit, those of the unit's subtree."""
    key_results = visible_key_results(reader).filter(
        last_checkin_at__gte=timezone.now() - timedelta(days=7)
    )
    if unit is not None:
        units = subtree_ids({unit.pk}, unit_parents())
        key_results = key_results.filter(holdings__objective__unit_id__in=units).distinct()
    return [
        (
            f"{kr.title}: {key_result_style(kr).show(kr.current)} of "
            f"{key_result_style(kr).show(kr.target)}"
            + ("" if kr.score is None else f" (score {kr.score:.2f})"),
            reverse("key-result", args=[kr.pk]),
        )
        for kr in key_results.order_by("-last_checkin_at")[:10]
    ]


def digest_message(digest: Digest) -> Message:
    sections = [
        Section(SECTION_HEADINGS[name], [(alert.message, alert.url) for alert in alerts])
        for name, alerts in digest.sections.items()
    ]
    sections.append(Section("Moved this week", moved_this_week(digest.recipient, digest.unit)))
    path = reverse("unit", args=[digest.unit.pk]) if digest.unit else reverse("dashboard")
    return Message(
        digest.title,
        "What needs attention this week.",
        sections,
        ("Open the unit" if digest.unit else "Open the dashboard", path),
    )


def reminder_message(notification: Notification) -> Message:
    owed = owed_by(notification.person)
    if notification.kind == Notification.Kind.CHECKIN_REMINDER:
        # Signed one-click links (seven days, once, this person only): lodestar.chat.links.
        key_results = [row.key_result for row in owed.checkins]
        lines = [
            (f"Check in on: {kr.title}", checkin_link(notification.person, kr))
            for kr in key_results
        ]
        return Message(
            "Check-ins due this week",
            f"{len(lines)} of your key results need a check-in.",
            [Section("Key results", lines)],
            ("Check in on My key results", reverse("my-key-results")),
            checkins=[(kr.title, kr.pk) for kr in key_results],
        )
    lines = [
        (f"{measure.name} for {period:%B %Y}", reverse("measure", args=[measure.pk]))
        for measure, period in owed.measure_values
    ]
    return Message(
        "Measure values due",
        f"{len(lines)} of your measures have no value for their last period.",
        [Section("Measures", lines)],
        ("Open My key results", reverse("my-key-results")),
    )


def compose(notification: Notification) -> Message:
    if notification.kind != Notification.Kind.DIGEST:
        return reminder_message(notification)
    reader = notification.person or channel_reader()
    unit = notification.unit
    scope = None if unit is not None and unit.parent_id is None else unit
    return digest_message(digest_for(reader, unit=scope))


# Sending ----------------------------------------------------------------------------
def destinations(notification: Notification) -> list[tuple[str, str]]:
    """(channel, address) pairs: a person's chosen channel, or a unit's channels."""
    if notification.person is None:
        channel = UnitChannel.objects.filter(unit=notification.unit).first()
        if channel is None:
            return []
        return [
            (kind, url)
            for kind, url in (("slack", channel.slack_url), ("teams", channel.teams_url))
            if url
        ]
    preference = preference_of(notification.person)
    if preference.channel in (preference.Channel.SLACK, preference.Channel.TEAMS):
        return [(preference.channel, preference.webhook_url)]
    return [("email", notification.person.email)]


def send(channel: str, address: str, message: Message) -> None:
    """Raises on failure (the caller logs and retries)."""
    if not address:
        raise ValueError(f"No {channel} address.")
    if channel == "email":
        mail = EmailMultiAlternatives(
            f"[Lodestar] {message.subject}",
            messages.as_text(message),
            settings.DEFAULT_FROM_EMAIL,
            [address],
        )
        mail.attach_alternative(messages.as_html(message), "text/html")
        mail.send()
        return
    payload = messages.as_slack(message) if channel == "slack" else messages.as_teams(message)
    # Through the outbound gate: a public address (unless allowed), the gate's words only.
    send_out(
        "POST",
        address,
        who=channel.title(),
        timeout=TIMEOUT_SECONDS,
        body=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json"},
    )


def claim_due() -> Notification | None:
    return workers.claim_due(Notification, LEASE, related=("person", "unit"))


def deliver(notification: Notification) -> Notification:
    notification.attempts += 1
    try:
        message = compose(notification)
        targets = destinations(notification)
        if not targets:
            raise ValueError("Nowhere to send it.")
        if not message.empty:
            for channel, address in targets:
                send(channel, address, message)
    except Exception as error:  # any failure: logged, retried, never blocking the rest
        notification.last_error = f"{error.__class__.__name__}: {error}"[:1000]
        log.warning(
            "Notification %s failed (attempt %s): %s", notification.pk, notification.attempts, error
        )
        if notification.attempts >= settings.NOTIFY_MAX_ATTEMPTS:
            notification.status = Notification.Status.FAILED
        else:
            delay = timedelta(seconds=settings.NOTIFY_FIRST_RETRY_SECONDS) * 2 ** (
                notification.attempts - 1
            )
            notification.next_attempt_at = timezone.now() + delay
    else:
        notification.status, notification.sent_at = Notification.Status.SENT, timezone.now()
        notification.channels = ",".join(channel for channel, _ in targets)
        notification.last_error = ""
    notification.save(
        update_fields=["attempts", "status", "sent_at", "channels", "last_error", "next_attempt_at"]
    )
    return notification


def deliver_notifications() -> int:
    return workers.send_due(claim_due, deliver)


def notify_run(today: date | None = None) -> tuple[int, int]:
    """Plan the week and send what is due: (new rows, attempts)."""
    return plan_week(today), deliver_notifications()
