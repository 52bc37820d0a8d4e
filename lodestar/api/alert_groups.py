"""Alerts in groups (one rule about one unit's things, with a count and its members) and
the caller's snoozes of them. A snooze is the caller's own: it hides a group from the
caller's answers only, for a week or until the group's alerts change."""

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from pydantic import Field

from lodestar.api.crud import ERRORS, Id
from lodestar.api.enums import AlertKind, Severity, api_enum
from lodestar.api.insights import AlertOut, Scope, alert_out, unit_of
from lodestar.insights.alert_groups import AlertGroup, grouped_alerts_for
from lodestar.insights.snoozes import SNOOZE_LENGTHS, alert_snooze, alert_unsnooze

router = Router(tags=["insights"])

SnoozeLength = api_enum(
    "SnoozeLength",
    SNOOZE_LENGTHS,
    "How long a snooze holds: week (seven days) or change (until it changes).",
)


class AlertGroupOut(Schema):
    key: str = Field(description="The group's key: what a snooze names.")
    kind: AlertKind
    severity: Severity
    unit: str = Field(description="The unit whose things it gathers; empty when none.")
    count: int
    message: str = Field(description="One sentence for the group (the alert's, for one).")
    owners: list[str] = Field(description="Its alerts' owners, each once.")
    snoozed: bool
    members: list[AlertOut]


class AlertGroupsOut(Schema):
    groups: list[AlertGroupOut] = Field(description="Most severe first, larger groups first.")
    snoozed: int = Field(description="How many groups the caller has snoozed (not listed).")


class SnoozedOnly(Schema):
    snoozed: bool = Field(False, description="List the caller's snoozed groups instead.")


def group_out(group: AlertGroup, snoozed: bool) -> dict:
    return {
        "key": group.key,
        "kind": group.kind,
        "severity": group.severity,
        "unit": group.unit,
        "count": group.count,
        "message": group.message,
        "owners": group.owners,
        "snoozed": snoozed,
        "members": [alert_out(member, group, snoozed) for member in group.members],
    }


@router.get(
    "/insights/alert-groups",
    response={200: AlertGroupsOut, **ERRORS},
    operation_id="insights_alert_groups",
    summary="The caller's alerts gathered by rule and unit, snoozed groups left out",
)
def insights_alert_groups(request: HttpRequest, scope: Query[Scope], shown: Query[SnoozedOnly]):
    """The caller's alerts (as /insights/alerts) gathered into groups: one rule about one
    unit's things is one group, with a count, one sentence, its owners and its members. On
    the company scope a group's unit is a division; with `unit`, that unit or one just below
    it. `snoozed=true` lists the groups the caller snoozed instead."""
    grouped = grouped_alerts_for(request.auth, unit=unit_of(scope), now=timezone.now())
    listed = grouped.snoozed if shown.snoozed else grouped.groups
    return {
        "groups": [group_out(group, shown.snoozed) for group in listed],
        "snoozed": len(grouped.snoozed),
    }


class SnoozeIn(Schema):
    group: str = Field(max_length=120, description="The key of a group the caller sees.")
    unit: Id | None = Field(None, description="The scope it was seen in (a unit id).")
    length: SnoozeLength = Field(description="week: seven days; change: until it changes.")


class SnoozedOut(Schema):
    group: str
    alerts: int = Field(description="How many alerts the group held.")


@router.post(
    "/insights/alert-snoozes",
    response={201: SnoozedOut, **ERRORS},
    operation_id="insights_alert_snooze",
    summary="Snooze one of the caller's alert groups, for the caller only",
)
def snooze_group(request: HttpRequest, payload: SnoozeIn):
    """Hide a group the caller sees from the caller's own answers, for a week or until its
    alerts change (an alert joining it shows it again). Nobody else's answers change; a group
    the caller does not see is refused as not found, whether it exists or not."""
    unit = unit_of(Scope(unit=payload.unit))
    snoozes = alert_snooze(
        acting=request.auth, group=payload.group, length=payload.length, unit=unit
    )
    return Status(201, {"group": payload.group, "alerts": len(snoozes)})


class UnsnoozeIn(Schema):
    group: str = Field(max_length=120)
    unit: Id | None = None


@router.post(
    "/insights/alert-snoozes/wake",
    response={200: SnoozedOut, **ERRORS},
    operation_id="insights_alert_unsnooze",
    summary="Show one of the caller's snoozed alert groups again",
)
def unsnooze_group(request: HttpRequest, payload: UnsnoozeIn):
    """End the caller's snooze of a group, so that it is listed again; `alerts` says how many
    snoozed alerts woke."""
    unit = unit_of(Scope(unit=payload.unit))
    woken = alert_unsnooze(acting=request.auth, group=payload.group, unit=unit)
    return {"group": payload.group, "alerts": woken}
