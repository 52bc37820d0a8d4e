"""Writes of alert snoozes: a person hides an alert group from their own view, for a
week or until it changes (docs/insights.md, "Grouped alerts and snoozes"). Only one's own,
and only a group among the alerts one may see: anything else is answered as if there were
no such group, so a snooze never tells whether an unseen alert exists."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone

from lodestar.insights.alert_groups import AlertGroup, grouped_alerts_for, sentence_digest
from lodestar.insights.models import AlertSnooze
from lodestar.org.acting import personal_service
from lodestar.org.models import Person, Unit
from lodestar.org.permissions import Action, require

# how long a snooze lasts → its end (None: until the alert changes)
SNOOZE_LENGTHS = {"week": timedelta(days=7), "change": None}


def seen_group(person: Person, group: str, unit: Unit | None, *, snoozed: bool) -> AlertGroup:
    grouped = grouped_alerts_for(person, unit=unit, now=timezone.now())
    among = grouped.snoozed if snoozed else grouped.groups
    found = next((g for g in among if g.key == group), None)
    if found is None:
        state = "snoozed " if snoozed else ""
        where = f" of {unit}" if unit is not None else ""
        raise ValidationError(
            {"group": [f"No {state}alert group “{group}” among the alerts{where} you may see."]}
        )
    return found


def acting_person(acting: Person | None) -> Person:
    if acting is None:
        raise ValidationError("A snooze is a person's: the installation itself has none.")
    return acting


@personal_service
def alert_snooze(
    *, acting: Person, group: str, length: str, unit: Unit | None = None
) -> list[AlertSnooze]:
    """Snooze every alert of the group for the acting person (and no one else)."""
    person = acting_person(acting)
    if length not in SNOOZE_LENGTHS:
        raise ValidationError({"length": [f"Choose from: {', '.join(SNOOZE_LENGTHS)}."]})
    found = seen_group(person, group, unit, snoozed=False)
    span = SNOOZE_LENGTHS[length]
    until = timezone.now() + span if span is not None else None
    snoozes = []
    for member in found.members:
        snooze = AlertSnooze.objects.filter(
            person=person, kind=member.kind, url=member.url
        ).first() or AlertSnooze(person=person, kind=member.kind, url=member.url)
        require(acting, Action.SNOOZE, snooze)
        snooze.digest, snooze.until = sentence_digest(member), until
        snooze.save()
        snoozes.append(snooze)
    return snoozes


@personal_service
def alert_unsnooze(*, acting: Person, group: str, unit: Unit | None = None) -> int:
    """Show a snoozed group again; answers how many alerts it held."""
    person = acting_person(acting)
    found = seen_group(person, group, unit, snoozed=True)
    woken = 0
    for member in found.members:
        for snooze in AlertSnooze.objects.filter(person=person, kind=member.kind, url=member.url):
            require(acting, Action.SNOOZE, snooze)
            snooze.delete()
            woken += 1
    return woken
