"""The Balanced Scorecard: scorecards, perspectives, themes, strategic objectives and
the strategy map's links, measures with their values, and initiatives.

Score fields (`score`, `performance`, `execution`) are written only by
`lodestar.strategy.rollup`; everything else is written by the services.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

from lodestar import scoring
from lodestar.org.models import Unit
from lodestar.validation import choices_from

Person = settings.AUTH_USER_MODEL


def non_negative(field: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{field}__gte": 0}), name=f"%(class)s_{field}_gte_0"
    )


class ScorecardQuerySet(models.QuerySet):
    def published(self) -> "ScorecardQuerySet":
        return self.filter(published_at__isnull=False)


class Scorecard(models.Model):
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="scorecards")
    name = models.CharField(max_length=200)
    period_start = models.DateField()
    period_end = models.DateField()
    score = models.FloatField(null=True, blank=True, editable=False)
    execution = models.FloatField(null=True, blank=True, editable=False)
    # None: a draft (a starter applied to a live organisation), seen only by whom made it
    # and the strategy office, and never the company's scorecard, until published.
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # "A note when it matters": a value that turns one of its measures red, or a check-in
    # that drops a key result serving it to at risk, must say why (docs/scoring.md).
    notes_when_it_matters = models.BooleanField(
        default=False,
        help_text="A value that turns a measure red, or a check-in that drops a key result "
        "to at risk, must carry a short note.",
    )

    # Counts edits (optimistic locking): an edit made on an older version is refused.
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ScorecardQuerySet.as_manager()

    class Meta:
        ordering = ["unit__name", "-period_start"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="scorecard_name_unique_in_unit"),
            models.CheckConstraint(
                condition=Q(period_end__gt=F("period_start")), name="scorecard_period_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.name}"

    @property
    def draft(self) -> bool:
        return self.published_at is None


class Perspective(models.Model):
    """An ordered band of a scorecard; position 0 is the bottom band of the map."""

    # Every list of perspectives (dashboard, heat map, scorecard, reports, API, exports)
    # reads as the strategy map does: the top band first (Financial above Learning).
    READING_ORDER = ("-position",)

    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="perspectives")
    name = models.CharField(max_length=100)
    position = models.PositiveSmallIntegerField()
    weight = models.FloatField(default=1.0, validators=[MinValueValidator(0)])
    score = models.FloatField(null=True, blank=True, editable=False)
    execution = models.FloatField(null=True, blank=True, editable=False)

    # Counts edits (optimistic locking): an edit made on an older version is refused.
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["scorecard", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["scorecard", "position"], name="perspective_position_unique"
            ),
            models.UniqueConstraint(fields=["scorecard", "name"], name="perspective_name_unique"),
            non_negative("weight"),
        ]

    def __str__(self) -> str:
        return self.name


class Theme(models.Model):
    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="themes")
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True)

    # Counts edits (optimistic locking): an edit made on an older version is refused.
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["scorecard", "name"], name="theme_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class StrategicObjective(models.Model):
    scorecard = models.ForeignKey(
        Scorecard, on_delete=models.CASCADE, related_name="strategic_objectives"
    )
    perspective = models.ForeignKey(
        Perspective, on_delete=models.PROTECT, related_name="strategic_objectives"
    )
    code = models.CharField(max_length=20, blank=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    owner = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    weight = models.FloatField(default=1.0, validators=[MinValueValidator(0)])
    themes = models.ManyToManyField(Theme, blank=True, related_name="strategic_objectives")
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
        help_text="The objective of a parent unit's scorecard that this one cascades from.",
    )
    performance = models.FloatField(null=True, blank=True, editable=False)
    execution = models.FloatField(null=True, blank=True, editable=False)

    # Counts edits (optimistic locking): an edit made on an older version is refused.
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["perspective__position", "code", "name"]
        constraints = [
            non_negative("weight"),
            models.CheckConstraint(condition=~Q(parent=F("id")), name="objective_not_own_parent"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}".strip()


class CauseEffectLink(models.Model):
    """An arrow of the strategy map: improving `cause` should improve `effect`."""

    cause = models.ForeignKey(
        StrategicObjective, on_delete=models.CASCADE, related_name="effect_links"
    )
    effect = models.ForeignKey(
        StrategicObjective, on_delete=models.CASCADE, related_name="cause_links"
    )
    hypothesis = models.TextField(blank=True)

    # Counts edits (optimistic locking): an edit made on an older version is refused.
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cause", "effect"], name="link_unique"),
            models.CheckConstraint(condition=~Q(cause=F("effect")), name="link_not_to_itself"),
        ]

    def __str__(self) -> str:
        return f"{self.cause} → {self.effect}"


class Measure(models.Model):
    Direction = choices_from(scoring.Direction)

    class Frequency(models.TextChoices):
        MONTHLY = "monthly", "Monthly"
        QUARTERLY = "quarterly", "Quarterly"
        YEARLY = "yearly", "Yearly"

    class ValuesFrom(models.TextChoices):
        PEOPLE = "people", "People (typed in, or check-ins of a linked key result)"
        KEY_RESULT = "key_result", "Check-ins of the linked key result"
        SOURCE = "source", "Its data source"
        FORMULA = "formula", "A formula over other measures"

    objective = models.ForeignKey(
        StrategicObjective, on_delete=models.CASCADE, related_name="measures"
    )
    name = models.CharField(max_length=200)
    unit_of_measure = models.CharField(max_length=30, blank=True)
    direction = models.CharField(max_length=10, choices=Direction.choices, default=Direction.HIGHER)
    baseline = models.FloatField()
    target = models.FloatField(help_text="For a range: the lower bound of the band.")
    upper = models.FloatField(null=True, blank=True, help_text="For a range: the upper bound.")
    warning = models.FloatField(
        null=True,
        blank=True,
        help_text="Yellow from this value; empty means 70 % of the way from baseline to target.",
    )
    frequency = models.CharField(
        max_length=10, choices=Frequency.choices, default=Frequency.MONTHLY
    )
    leading = models.BooleanField(default=False, help_text="Leading (driver) or lagging.")
    owner = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    weight = models.FloatField(default=1.0, validators=[MinValueValidator(0)])
    values_from = models.CharField(
        max_length=12,
        choices=ValuesFrom.choices,
        default=ValuesFrom.PEOPLE,
        help_text="The one path its values come by; a value from another path is refused.",
    )
    formula = models.CharField(
        max_length=500,
        blank=True,
        help_text="For a calculated measure: e.g. ([M12] + [M13]) / 2 (see scoring.formulas).",
    )
    # The measures a formula reads, kept from the formula at each save (cycles refused).
    formula_inputs = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="formula_outputs"
    )
    performance = models.FloatField(null=True, blank=True, editable=False)
    status = models.CharField(max_length=10, default="grey", editable=False)

    # Counts edits (optimistic locking): an edit made on an older version is refused.
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["objective", "name"]
        constraints = [
            non_negative("weight"),
            models.CheckConstraint(
                condition=Q(direction="range") | ~Q(target=F("baseline")),
                name="measure_target_differs_from_baseline",
            ),
            models.CheckConstraint(
                condition=~Q(direction="range") | Q(upper__gte=F("target")),
                name="measure_range_has_upper_bound",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class NoteAsked(models.TextChoices):
    """Whether a write was asked for a note because it mattered (its scorecard's
    `notes_when_it_matters`): a person's write gives one or is refused; an automatic one
    (a data source, an imported history) is kept and owes one."""

    NOT_ASKED = "", "Not asked"
    GIVEN = "given", "Given"
    OWED = "owed", "Note owed"


class MeasureValue(models.Model):
    """The actual of a measure for one period (the period's first day)."""

    class EnteredVia(models.TextChoices):
        PERSON = "person", "Typed in by a person"
        KEY_RESULT = "key_result", "A key result check-in"
        SOURCE = "source", "A data source"
        FORMULA = "formula", "Calculated"

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="values")
    period = models.DateField()
    actual = models.FloatField()
    target = models.FloatField(null=True, blank=True)
    comment = models.TextField(blank=True)
    author = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)
    entered_via = models.CharField(
        max_length=12, choices=EnteredVia.choices, default=EnteredVia.PERSON
    )
    source = models.ForeignKey(
        "sources.DataSource",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="values",
        help_text="The data source that wrote this value, when one did.",
    )
    # Set when this value turned its measure red (`strategy.notes`); the review shows its note.
    note_asked = models.CharField(
        max_length=5, choices=NoteAsked.choices, blank=True, default="", editable=False
    )

    class Meta:
        ordering = ["measure", "period"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "period"], name="one_value_per_period"),
        ]

    def __str__(self) -> str:
        return f"{self.measure} {self.period:%Y-%m}: {self.actual:g}"


class MeasurePlan(models.Model):
    """The planned target of a measure for one period (the period's first day), set ahead
    of any actual. A separate row rather than a MeasureValue without an actual: every
    reader of values (roll-up, charts, insights, API) may then keep relying on an actual
    being there. A value recorded for a planned period takes the plan's target."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="plan")
    period = models.DateField()
    target = models.FloatField()

    class Meta:
        ordering = ["measure", "period"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "period"], name="one_plan_per_period"),
        ]

    def __str__(self) -> str:
        return f"{self.measure} {self.period:%Y-%m}: plan {self.target:g}"


class Initiative(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        ACTIVE = "active", "Active"
        ON_HOLD = "on_hold", "On hold"
        DONE = "done", "Done"
        CANCELLED = "cancelled", "Cancelled"

    name = models.CharField(max_length=200)
    strategic_objectives = models.ManyToManyField(StrategicObjective, related_name="initiatives")
    owner = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    start = models.DateField(null=True, blank=True)
    end = models.DateField(null=True, blank=True)
    budget = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    spent = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLANNED)
    percent_complete = models.PositiveSmallIntegerField(
        default=0, validators=[MaxValueValidator(100)]
    )

    # Counts edits (optimistic locking): an edit made on an older version is refused.
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["name"]
        constraints = [
            non_negative("budget"),
            non_negative("spent"),
            models.CheckConstraint(
                condition=Q(percent_complete__lte=100), name="initiative_percent_at_most_100"
            ),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(start__isnull=True) | Q(end__gte=F("start")),
                name="initiative_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name
