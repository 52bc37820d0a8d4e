"""The API's enumerations: one named schema each in the OpenAPI document, so a generated
client has one enum class per kind of value (not one per field that carries it).

Each is built from the rule or the model it names, so a value added there (a pace, a
unit kind) is in the API and its document by itself."""

from collections.abc import Iterable
from enum import StrEnum

from lodestar import scoring
from lodestar.audit.history import ACTIONS
from lodestar.insights.alerts import SEVERITY
from lodestar.insights.execution import EXECUTION_WITHOUT_IMPACT, IMPACT_WITHOUT_EXECUTION
from lodestar.notify.events import EVENTS
from lodestar.notify.models import NotificationPreference, WebhookDelivery
from lodestar.okrs.models import Cycle, KeyResult, Objective
from lodestar.org.models import Membership, Person, Unit
from lodestar.scoring import outcomes
from lodestar.scoring.bands import STATUS_WORDS
from lodestar.sources.models import DataSource, SyncRun
from lodestar.strategy.models import Initiative, Measure, MeasureValue


def api_enum(name: str, values: Iterable[str], doc: str) -> type[StrEnum]:
    """A string enum named `name` in the document, with these values in this order."""
    # Member names are for Python only (a client names members by value); "" needs one too.
    enum = StrEnum(name, [(str(value).upper() or "NONE", str(value)) for value in values])
    enum.__doc__ = doc
    return enum


Colour = api_enum(
    "Colour",
    STATUS_WORDS,
    "Traffic-light colour of a score; grey when there is none (N/A).",
)
Pace = api_enum(
    "Pace", scoring.Pace, "A key result's progress against the elapsed share of its cycle."
)
Outcome = api_enum(
    "Outcome",
    outcomes.Outcome,
    "Where an objective stands: planned (cycle in planning); while its cycle runs its "
    "forecast's word (on_track at its success bar, at_risk when red, else behind), else its "
    "key results' worst pace; succeeded, missed or not_scored only once its cycle has closed "
    "or it is graded (docs/scoring.md).",
)
Direction = api_enum(
    "Direction",
    Measure.Direction.values,
    "Which way a measure improves: higher, lower, or inside the range target…upper.",
)
Frequency = api_enum("Frequency", Measure.Frequency.values, "How often a measure is recorded.")
ValuesFrom = api_enum(
    "ValuesFrom", Measure.ValuesFrom.values, "Where a measure's values come from."
)
EnteredVia = api_enum("EnteredVia", MeasureValue.EnteredVia.values, "How a value was recorded.")
InitiativeStatus = api_enum(
    "InitiativeStatus", Initiative.Status.values, "Where an initiative stands."
)
UnitKind = api_enum("UnitKind", Unit.Kind.values, "The level of a unit in the organisation.")
PersonRole = api_enum(
    "PersonRole", Person.Role.values, "A person's role in the whole organisation."
)
MembershipRole = api_enum(
    "MembershipRole", Membership.Role.values, "A person's role in one unit (one lead each)."
)
CycleState = api_enum("CycleState", Cycle.State.values, "Where an OKR cycle stands.")
ObjectiveKind = api_enum(
    "ObjectiveKind",
    Objective.Kind.values,
    "Aspirational succeeds from 0.7, committed only at 1.0.",
)
Visibility = api_enum(
    "Visibility",
    Objective.Visibility.values,
    "A private objective is seen by its owner, their managers and admins only, and counts "
    "in no shared figure.",
)
KeyResultKind = api_enum(
    "KeyResultKind",
    KeyResult.Kind.values,
    "metric: from baseline to target (either way); milestone: steps done of target; "
    "stay_above / stay_below: held while current stays on the right side of target.",
)
DeliveryStatus = api_enum(
    "DeliveryStatus", WebhookDelivery.Status.values, "Where a webhook delivery stands."
)
WebhookEvent = api_enum("WebhookEvent", ("*", *EVENTS), "An event a webhook hears; * is all.")
SourceKind = api_enum("SourceKind", DataSource.Kind.values, "How a data source is read.")
SourceFormat = api_enum(
    "SourceFormat", ("", *DataSource.Format.values), "A file's format; empty for SQL."
)
SyncTrigger = api_enum("SyncTrigger", SyncRun.Trigger.values, "What started a sync.")
Channel = api_enum(
    "Channel", NotificationPreference.Channel.values, "Where a person's reminders go."
)
ChangeAction = api_enum("ChangeAction", ACTIONS.values(), "What a change in a history did.")
AlertKind = api_enum("AlertKind", SEVERITY, "What an alert is about (docs/insights.md).")
Severity = api_enum("Severity", ["high", "medium", "low"], "How urgent an alert is.")
GapKind = api_enum(
    "GapKind",
    [EXECUTION_WITHOUT_IMPACT, IMPACT_WITHOUT_EXECUTION],
    "OKRs moving without their strategic objective's measures, or the other way round.",
)
QualityKind = api_enum(
    "QualityKind",
    [
        "too_few_key_results",
        "too_many_key_results",
        "objective_without_owner",
        "key_result_incomplete",
        "activity_key_result",
    ],
    "An OKR quality issue.",
)
EffortVerdict = api_enum(
    "EffortVerdict",
    ["starved", "over-served", "balanced", "too few OKRs to judge"],
    "A perspective's share of the OKR effort against its fair share.",
)
