"""Which models have a history, and which of their fields are left out of it."""

from auditlog.registry import auditlog
from auditlog.signals import post_log

from lodestar.api.models import ApiToken
from lodestar.audit.history import MOVED_BY, keep_related_names
from lodestar.notify.models import WebhookSubscription
from lodestar.okrs.models import (
    FORECAST_FIELDS,
    CheckIn,
    Cycle,
    KeyResult,
    Objective,
    ObjectiveKeyResult,
)
from lodestar.org.models import Membership, Person, SecondFactorPolicy, Unit
from lodestar.strategy.models import (
    CauseEffectLink,
    Initiative,
    Measure,
    MeasureValue,
    Perspective,
    Scorecard,
    StrategicObjective,
    Theme,
)

# Written only by the roll-up (and with `.update()`): derived, not something people did.
ROLLUP_FIELDS = ["score", "performance", "execution", "progress"]
# Authentication's own bookkeeping, and secrets that must not be copied anywhere.
# (is_staff and is_superuser follow the role, which is kept.) A person's time zone and
# language are how they read the pages, theirs alone: nobody else's business.
PERSON_NOISE = [
    "password",
    "last_login",
    "date_joined",
    "is_staff",
    "is_superuser",
    "time_zone",
    "language",
]

TRACKED = [
    (Unit, {}),
    (Person, {"exclude_fields": PERSON_NOISE}),
    (Membership, {}),
    (Scorecard, {"exclude_fields": ROLLUP_FIELDS}),
    (Perspective, {"exclude_fields": ROLLUP_FIELDS}),
    (Theme, {}),
    (StrategicObjective, {"exclude_fields": ROLLUP_FIELDS, "m2m_fields": {"themes"}}),
    (CauseEffectLink, {}),
    # A measure's status is its colour, derived by the roll-up.
    (Measure, {"exclude_fields": [*ROLLUP_FIELDS, "status"]}),
    (MeasureValue, {"exclude_fields": ["recorded_at"]}),
    # An initiative's status (planned, active, done…) is chosen by people: it stays.
    (Initiative, {"m2m_fields": {"strategic_objectives"}}),
    (Cycle, {}),
    (Objective, {"exclude_fields": ROLLUP_FIELDS, "m2m_fields": {"contributes_to"}}),
    # Its forecast is derived from its check-ins (stored with the check-in's own write).
    (
        KeyResult,
        # created_at: the history entry's own time says when it was added.
        {
            "exclude_fields": [
                *ROLLUP_FIELDS,
                *FORECAST_FIELDS,
                "last_checkin_at",
                "latest_confidence",
                "created_at",
            ]
        },
    ),
    (ObjectiveKeyResult, {}),
    (CheckIn, {}),
    (WebhookSubscription, {"exclude_fields": ["secret"]}),
    (ApiToken, {"exclude_fields": ["hashed", "last_used_at"]}),
    (SecondFactorPolicy, {"exclude_fields": ["changed_at"]}),
]


# The edit counter (optimistic locking) is bookkeeping, not a change people made; the id
# never changes.
ALWAYS_LEFT_OUT = {"version", "id"}


def register_domain_models() -> None:
    for model, options in TRACKED:
        if auditlog.contains(model):
            continue
        left_out = ALWAYS_LEFT_OUT | set(options.get("exclude_fields", []))
        # Named fields only: otherwise a creation would list the reverse relations too.
        fields = [f.name for f in model._meta.concrete_fields if f.name not in left_out]
        auditlog.register(model, include_fields=fields, m2m_fields=options.get("m2m_fields"))
    # A check-in's one entry carries the key result's new current value (okrs.services).
    MOVED_BY[KeyResult] = (CheckIn, "key_result")
    post_log.connect(keep_related_names, dispatch_uid="lodestar.audit.keep_related_names")
