"""The weekly digest: what a unit lead (or the company) should read on Monday. Built
here as plain objects; a notification issue will send them by e-mail, Slack or Teams."""

from dataclasses import asdict, dataclass
from datetime import date, timedelta

from django.utils import timezone

from lodestar.insights.alerts import Alert, alerts_for
from lodestar.org.models import Membership, Person, Unit

# Digest section → the alert kinds it gathers, in the order a reader wants them.
SECTIONS = {
    "at_risk": {"at_risk_key_result", "execution_without_impact"},
    "stale": {"stale_key_result"},
    "gaps": {
        "orphan_objective",
        "unserved_strategic_objective",
        "starved_perspective",
        "over_served_perspective",
        "impact_without_execution",
        "unit_without_okrs",
    },
    "conflicts": {"conflicting_key_results", "key_result_against_measure", "overloaded_owner"},
    "quality": {
        "too_few_key_results",
        "too_many_key_results",
        "objective_without_owner",
        "key_result_incomplete",
        "activity_key_result",
    },
}


@dataclass(frozen=True)
class Digest:
    recipient: Person
    unit: Unit | None  # None: the company
    week_of: date  # the Monday of the week it covers
    sections: dict[str, list[Alert]]

    @property
    def empty(self) -> bool:
        return not any(self.sections.values())

    @property
    def title(self) -> str:
        scope = self.unit.name if self.unit else "the company"
        return f"Weekly digest for {scope}, week of {self.week_of:%-d %B %Y}"

    def to_dict(self) -> dict:
        return {
            "recipient": self.recipient.pk,
            "unit": self.unit.pk if self.unit else None,
            "week_of": self.week_of.isoformat(),
            "title": self.title,
            "sections": {
                name: [asdict(alert) for alert in alerts] for name, alerts in self.sections.items()
            },
        }


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def digest_for(person: Person, *, unit: Unit | None = None, today: date | None = None) -> Digest:
    """The alerts this person may see, for the unit's subtree or the company, by section."""
    alerts = alerts_for(person, unit=unit)
    sections = {
        name: [alert for alert in alerts if alert.kind in kinds] for name, kinds in SECTIONS.items()
    }
    return Digest(person, unit, monday(today or timezone.localdate()), sections)


def weekly_digests(today: date | None = None) -> list[Digest]:
    """One digest per unit lead for the unit's subtree, and the company's for the lead of
    the root unit (who gets no second, identical one for the root). A few queries per
    lead: a batch job, run once a week."""
    found = []
    leads = Membership.objects.filter(
        role=Membership.Role.LEAD, person__is_active=True
    ).select_related("person", "unit")
    for membership in leads.order_by("unit__name"):
        unit = None if membership.unit.parent_id is None else membership.unit
        found.append(digest_for(membership.person, unit=unit, today=today))
    return found
