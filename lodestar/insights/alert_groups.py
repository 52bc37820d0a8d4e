"""Alerts gathered into groups, and a person's snoozes applied to them.

A group is one rule about the things of one unit: "Product & Engineering: 3 key results are at risk
of missing their target" instead of the same sentence three times. On the company's view a
unit means a unit just below the company (a division: its lead is who acts); on a unit's
page, the unit itself or one of the units just below it. Grouping and snoozes come after
the kept alerts (`alerts_for`): the alerts are shared by readers who see the same things,
a snooze is one person's."""

import hashlib
from dataclasses import dataclass, field
from datetime import datetime

from lodestar.insights.alerts import SEVERITY_ORDER, Alert, alerts_for
from lodestar.insights.models import AlertSnooze
from lodestar.org.models import Person, Unit

# kind → the group's sentence, for a count above one ("3 key results are at risk…")
GROUP_SENTENCES = {
    "at_risk_key_result": "{n} key results are at risk of missing their target",
    "stale_key_result": "{n} key results have had no recent check-in",
    "execution_without_impact": "{n} strategic objectives have OKRs on pace but measures "
    "that do not move",
    "conflicting_key_results": "{n} measures are pushed up and down at once",
    "orphan_objective": "{n} objectives serve no strategic objective",
    "unserved_strategic_objective": "{n} strategic objectives are served by no OKR",
    "starved_perspective": "{n} perspectives get too little of the OKR effort",
    "objective_without_owner": "{n} objectives are owned by nobody",
    "key_result_incomplete": "{n} key results lack real figures",
    "key_result_against_measure": "{n} key results push their measure the wrong way",
    "overloaded_owner": "{n} people own more key results than the limit",
    "over_served_perspective": "{n} perspectives get more than double their share",
    "impact_without_execution": "{n} strategic objectives moved with no OKR behind them",
    "too_few_key_results": "{n} objectives have too few key results",
    "too_many_key_results": "{n} objectives have too many key results",
    "activity_key_result": "{n} key results count work done, not a result",
    "unit_without_okrs": "{n} units have no OKRs",
}


@dataclass(frozen=True)
class AlertGroup:
    key: str  # "<kind>@<unit id>" (0: no unit); what a snooze names
    kind: str
    severity: str
    unit: str  # the unit whose things it gathers; "" when none
    members: tuple[Alert, ...]

    @property
    def count(self) -> int:
        return len(self.members)

    @property
    def message(self) -> str:
        if self.count == 1:
            return self.members[0].message
        sentence = GROUP_SENTENCES[self.kind].format(n=self.count)
        return f"{self.unit}: {sentence}." if self.unit else f"{sentence[0].upper()}{sentence[1:]}."

    @property
    def place(self) -> str:
        """The unit to name beside it: the group's, or a lone alert's own (nearer)."""
        return self.members[0].unit if self.count == 1 else self.unit

    @property
    def url(self) -> str:
        return self.members[0].url

    @property
    def owners(self) -> list[str]:
        """The members' owners, each once, in the members' order."""
        return list(dict.fromkeys(a.owner for a in self.members if a.owner))


@dataclass
class GroupedAlerts:
    groups: list[AlertGroup]  # not snoozed, most severe first
    snoozed: list[AlertGroup] = field(default_factory=list)  # the person's snoozed ones

    def flat(self, *, with_snoozed: bool) -> list[tuple[Alert, AlertGroup, bool]]:
        """(alert, its group, snoozed?) one by one, in `alerts_for`'s order."""
        found = [(a, g, False) for g in self.groups for a in g.members]
        if with_snoozed:
            found += [(a, g, True) for g in self.snoozed for a in g.members]
        return sorted(
            found, key=lambda row: (SEVERITY_ORDER[row[0].severity], row[0].kind, row[0].subject)
        )


def grouping_unit(found: Alert, scope: Unit | None) -> tuple[int, str] | None:
    """The unit an alert is gathered under when `scope` (None: the company) is viewed."""
    chain = list(found.units)
    if not chain:
        return None
    ids = [pk for pk, _ in chain]
    top = ids.index(scope.pk) if scope is not None and scope.pk in ids else 0
    return chain[min(top + 1, len(chain) - 1)]


def group_alerts(alerts: list[Alert], scope: Unit | None) -> list[AlertGroup]:
    gathered: dict[str, list[Alert]] = {}
    units: dict[str, str] = {}
    for found in alerts:
        unit = grouping_unit(found, scope)
        key = f"{found.kind}@{unit[0] if unit else 0}"
        gathered.setdefault(key, []).append(found)
        units[key] = unit[1] if unit else ""
    groups = [
        AlertGroup(key, members[0].kind, members[0].severity, units[key], tuple(members))
        for key, members in gathered.items()
    ]
    return sorted(groups, key=lambda g: (SEVERITY_ORDER[g.severity], -g.count, g.kind, g.unit))


def sentence_digest(found: Alert) -> str:
    """What a snooze remembers of the alert: when the sentence changes, the snooze ends."""
    return hashlib.sha256(found.message.encode()).hexdigest()


def snoozed_alerts(person: Person, alerts: list[Alert], now: datetime) -> set[Alert]:
    """The alerts of the list this person has snoozed, still in force: one query."""
    held = {
        (kind, url): digest
        for kind, url, digest in AlertSnooze.objects.filter(person_id=person.pk)
        .exclude(until__lte=now)
        .values_list("kind", "url", "digest")
    }
    if not held:
        return set()
    return {
        a for a in alerts if (a.kind, a.url) in held and held[a.kind, a.url] == sentence_digest(a)
    }


def grouped_alerts_for(person: Person, *, unit: Unit | None, now: datetime) -> GroupedAlerts:
    """The person's alerts in groups, their snoozed ones set apart."""
    alerts = alerts_for(person, unit=unit)
    snoozed = snoozed_alerts(person, alerts, now)
    return GroupedAlerts(
        groups=group_alerts([a for a in alerts if a not in snoozed], unit),
        snoozed=group_alerts([a for a in alerts if a in snoozed], unit),
    )
