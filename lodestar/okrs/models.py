"""OKRs: cycles, objectives, key results (shareable between objectives) and the
append-only check-in history.

Score fields are written only by `lodestar.scores.rollup`.
"""

import operator
from functools import reduce

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from lodestar import scoring
from lodestar.org.models import Unit
from lodestar.strategy.models import Measure, NoteAsked, StrategicObjective, non_negative
from lodestar.validation import choices_from

Person = settings.AUTH_USER_MODEL
# The kinds whose target must differ from the baseline (their progress runs between them).
BASELINE_KINDS = reduce(
    operator.or_, (Q(kind=k.value) for k in scoring.KeyResultKind if k.rule.baseline_matters)
)


class Cycle(models.Model):
    class State(models.TextChoices):
        PLANNING = "planning", "Planning"
        ACTIVE = "active", "Active"
        CLOSED = "closed", "Closed"

    name = models.CharField(max_length=100, unique=True)
    start = models.DateField()
    end = models.DateField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.PLANNING)
    # Why it was activated before its start or closed before its end (empty: on time).
    early_activation_reason = models.TextField(blank=True)
    early_close_reason = models.TextField(blank=True)

    # Counts edits (optimistic locking): an edit made on an older version is refused.
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["-start"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="cycle_end_after_start"),
            # Execution scores and alerts speak of "the active cycle": there is one.
            models.UniqueConstraint(
                fields=["state"], condition=Q(state="active"), name="one_active_cycle"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def takes_writes(self) -> bool:
        """A closed cycle is a record: its OKRs take grades and retrospectives, nothing else."""
        return self.state != self.State.CLOSED


class Objective(models.Model):
    Kind = choices_from(scoring.ObjectiveKind)

    class Visibility(models.TextChoices):
        PUBLIC = "public", "Everyone"
        PRIVATE = "private", "Private"

    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="okr_objectives")
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="okr_objectives"
    )
    owner = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="okr_objectives"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    contributes_to = models.ManyToManyField(
        StrategicObjective, blank=True, related_name="okr_objectives"
    )
    kind = models.CharField(max_length=15, choices=Kind.choices, default=Kind.ASPIRATIONAL)
    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    weight = models.FloatField(default=1.0, validators=[MinValueValidator(0)])
    score = models.FloatField(null=True, blank=True, editable=False)
    final_grade = models.FloatField(null=True, blank=True)
    # Why the final grade differs from the computed score (required when it does).
    grade_reason = models.TextField(blank=True)
    retrospective = models.TextField(blank=True)
    # The objective of an earlier cycle this one continues (a carry-over); that one stays.
    carried_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="carried_into"
    )
    key_results = models.ManyToManyField(
        "KeyResult", through="ObjectiveKeyResult", related_name="okr_objectives"
    )

    # Counts edits (optimistic locking): an edit made on an older version is refused.
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["cycle", "title"]
        constraints = [
            non_negative("weight"),
            models.CheckConstraint(
                condition=~Q(parent=F("id")), name="okr_objective_not_own_parent"
            ),
            models.CheckConstraint(
                condition=Q(final_grade__isnull=True) | Q(final_grade__gte=0, final_grade__lte=1),
                name="final_grade_between_0_and_1",
            ),
        ]

    def __str__(self) -> str:
        return self.title


# A key result's stored trend (scoring.trend), derived from its check-ins.
FORECAST_FIELDS = [
    "forecast_points",
    "forecast_value",
    "forecast_standard_error",
    "forecast_low",
    "forecast_high",
    "forecast_slope",
    "forecast_series",
]


class KeyResult(models.Model):
    Kind = choices_from(scoring.KeyResultKind)

    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="key_results")
    title = models.CharField(max_length=300)
    owner = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="key_results")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.METRIC)
    baseline = models.FloatField(default=0)
    target = models.FloatField(default=1)
    current = models.FloatField(default=0)
    unit_label = models.CharField("unit", max_length=30, blank=True)
    linked_measure = models.ForeignKey(
        Measure, null=True, blank=True, on_delete=models.SET_NULL, related_name="key_results"
    )
    latest_confidence = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    last_checkin_at = models.DateTimeField(null=True, blank=True, editable=False)
    # When it was added: a key result never checked in is "not started", not stale, until
    # the stale limit has passed since then (or since its cycle started, if later). Empty
    # for those made before this was kept: they count from their cycle's start.
    created_at = models.DateTimeField(null=True, blank=True, default=timezone.now, editable=False)
    progress = models.FloatField(null=True, blank=True, editable=False)
    score = models.FloatField(null=True, blank=True, editable=False)
    # The key result of an earlier cycle this one continues (a carry-over); that one stays.
    carried_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="carried_into"
    )
    # The trend of the check-ins read at the cycle's last day (scoring.trend), kept here by
    # every check-in so that pages never load check-ins to show a forecast.
    forecast_points = models.PositiveIntegerField(default=0, editable=False)
    forecast_value = models.FloatField(null=True, blank=True, editable=False)
    forecast_standard_error = models.FloatField(null=True, blank=True, editable=False)
    forecast_low = models.FloatField(null=True, blank=True, editable=False)
    forecast_high = models.FloatField(null=True, blank=True, editable=False)
    forecast_slope = models.FloatField(null=True, blank=True, editable=False)
    # The trend's points, [days from the cycle's start, value] of every check-in, oldest
    # first: a check-in appends its own and computes the trend without reading the others
    # again. Empty: not known yet (rows written in bulk); the next check-in reads them.
    forecast_series = models.JSONField(null=True, blank=True, editable=False)

    # Counts edits (optimistic locking): an edit made on an older version is refused.
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["cycle", "title"]
        constraints = [
            models.CheckConstraint(
                condition=~BASELINE_KINDS | ~Q(target=F("baseline")),
                name="key_result_target_differs_from_baseline",
            ),
            models.CheckConstraint(
                condition=Q(latest_confidence__isnull=True) | Q(latest_confidence__lte=10),
                name="key_result_confidence_0_to_10",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ObjectiveKeyResult(models.Model):
    """Holds a key result in an objective; a shared key result has several of these."""

    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="holdings")
    key_result = models.ForeignKey(KeyResult, on_delete=models.CASCADE, related_name="holdings")
    weight = models.FloatField(default=1.0, validators=[MinValueValidator(0)])

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["objective", "key_result"], name="key_result_once"),
            non_negative("weight"),
        ]

    def __str__(self) -> str:
        return f"{self.objective} holds {self.key_result}"


class CheckIn(models.Model):
    """Append-only: created by `checkin_create`, never changed."""

    key_result = models.ForeignKey(KeyResult, on_delete=models.CASCADE, related_name="checkins")
    value = models.FloatField()
    confidence = models.PositiveSmallIntegerField(validators=[MaxValueValidator(10)])
    note = models.TextField(blank=True)
    author = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    # Set when this check-in dropped its key result to at risk (`strategy.notes`); the
    # review shows its note.
    note_asked = models.CharField(
        max_length=5, choices=NoteAsked.choices, blank=True, default="", editable=False
    )

    class Meta:
        ordering = ["key_result", "created_at"]
        get_latest_by = "created_at"
        constraints = [
            models.CheckConstraint(
                condition=Q(confidence__lte=10), name="checkin_confidence_0_to_10"
            ),
        ]
        indexes = [models.Index(fields=["key_result", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.key_result}: {self.value:g} ({self.created_at:%Y-%m-%d})"
