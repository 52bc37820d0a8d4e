"""Alerts: every insight that needs someone's attention, as one plain sentence that
links to the thing it is about. The dashboard, unit pages, the alignment page, the API
and the weekly digest all read them from `alerts_for`."""

from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse

from lodestar import scoring
from lodestar.insights import gaps, pace
from lodestar.insights.snapshot import Snapshot, load
from lodestar.org.models import Person, Unit

SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}


@dataclass(frozen=True)
class Alert:
    kind: str  # machine name, e.g. "orphan_objective"
    severity: str  # "high" | "medium" | "low"
    message: str  # one plain sentence
    url: str  # the page of the thing it is about
    subject: str  # the name of that thing


def alerts_for(person: Person, *, unit: Unit | None = None) -> list[Alert]:
    """The alerts this person may see (visibility respected), company-wide, or for one unit's
    subtree when `unit` is given; most severe first. A constant number of queries."""
    return alerts_from(load(person, unit=unit))


def alerts_from(snapshot: Snapshot) -> list[Alert]:
    found = [*alignment_alerts(snapshot), *pace_alerts(snapshot)]
    return sorted(found, key=lambda a: (SEVERITY_ORDER[a.severity], a.kind, a.subject))


def alignment_alerts(snapshot: Snapshot) -> list[Alert]:
    found = [
        Alert(
            "orphan_objective",
            "medium",
            f"“{o.title}” serves no strategic objective, directly or through its parents.",
            reverse("objective", args=[o.pk]),
            o.title,
        )
        for o in gaps.orphan_objectives(snapshot)
    ]
    found += [
        Alert(
            "unserved_strategic_objective",
            "medium",
            f"No OKR of {snapshot.cycle} serves “{so}”.",
            reverse("strategic-objective", args=[so.pk]),
            str(so),
        )
        for so in gaps.unserved_objectives(snapshot)
    ]
    return found


def pace_alerts(snapshot: Snapshot) -> list[Alert]:
    found = []
    for key_result, kr_pace in pace.late_key_results(snapshot):
        if kr_pace == scoring.Pace.STALE:
            days = settings.STALE_AFTER_DAYS
            message = f"“{key_result.title}” has had no check-in for more than {days} days."
            kind, severity = "stale_key_result", "medium"
        else:
            message = f"“{key_result.title}” is at risk of missing its target."
            kind, severity = "at_risk_key_result", "high"
        found.append(
            Alert(
                kind,
                severity,
                message,
                reverse("key-result", args=[key_result.pk]),
                key_result.title,
            )
        )
    return found
