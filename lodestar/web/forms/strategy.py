"""Forms of the Balanced Scorecard. Choices are narrowed to what the person may use and
what the services would accept (a perspective of this scorecard, a cascade parent from
a parent unit's scorecard…)."""

from django.core.validators import MinValueValidator
from django.db.models import QuerySet

from lodestar.org.models import Unit
from lodestar.org.selectors import ancestor_ids, unit_parents
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
from lodestar.web.forms import ServiceForm, people_choices
from lodestar.web.forms.pickers import (
    checkboxes,
    filterable,
    strategic_objective_choices,
    unit_tree,
)


class ScorecardForm(ServiceForm):
    model = Scorecard
    model_fields = ("unit", "name", "period_start", "period_end", "notes_when_it_matters")

    def __init__(self, *args, units: QuerySet[Unit] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if units is None:  # editing: a scorecard stays in its unit
            del self.fields["unit"]
        else:
            self.fields["unit"].queryset = units
            unit_tree(self.fields["unit"])


class PerspectiveForm(ServiceForm):
    model = Perspective
    model_fields = ("name", "position", "weight")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["position"].required = False
        self.fields["position"].help_text = "0 is the bottom band of the map; empty: on top."


class ThemeForm(ServiceForm):
    model = Theme
    model_fields = ("name", "description")


class StrategicObjectiveForm(ServiceForm):
    model = StrategicObjective
    model_fields = (
        "code",
        "name",
        "description",
        "perspective",
        "owner",
        "weight",
        "parent",
        "themes",
    )

    def __init__(self, *args, scorecard: Scorecard, owner=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["perspective"].queryset = scorecard.perspectives.all()
        self.fields["themes"].queryset = scorecard.themes.all()
        checkboxes(self.fields["themes"])
        self.fields["owner"].queryset = people_choices(owner)
        filterable(self.fields["owner"])
        parent_units = ancestor_ids(scorecard.unit_id, unit_parents())
        strategic_objective_choices(
            self.fields["parent"],
            # Not a draft's (its maker's alone until published).
            StrategicObjective.objects.filter(
                scorecard__unit_id__in=parent_units, scorecard__published_at__isnull=False
            ),
        )
        self.fields["parent"].label = "Cascades from"


class LinkForm(ServiceForm):
    model = CauseEffectLink
    model_fields = ("cause", "effect", "hypothesis")

    def __init__(self, *args, scorecard: Scorecard, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in ("cause", "effect"):
            strategic_objective_choices(self.fields[name], scorecard.strategic_objectives.all())
        self.fields["hypothesis"].help_text = "Why improving the cause should improve the effect."


class MeasureForm(ServiceForm):
    model = Measure
    model_fields = (
        "name",
        "unit_of_measure",
        "direction",
        "baseline",
        "target",
        "upper",
        "warning",
        "frequency",
        "leading",
        "owner",
        "weight",
    )

    def __init__(self, *args, owner=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people_choices(owner)
        filterable(self.fields["owner"])


class MeasureValueForm(ServiceForm):
    model = MeasureValue
    model_fields = ("period", "actual", "target", "comment")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields[
            "period"
        ].help_text = "Any day of the period; recording a period again replaces its value."
        self.fields[
            "target"
        ].help_text = "Plans this period's target; empty keeps its plan, else the final target."


class InitiativeForm(ServiceForm):
    model = Initiative
    model_fields = (
        "name",
        "strategic_objectives",
        "owner",
        "start",
        "end",
        "budget",
        "spent",
        "status",
        "percent_complete",
    )

    def __init__(
        self, *args, strategic_objectives: QuerySet[StrategicObjective], owner=None, **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        strategic_objective_choices(
            checkboxes(self.fields["strategic_objectives"]), strategic_objectives
        )
        self.fields["owner"].queryset = people_choices(owner)
        filterable(self.fields["owner"])
        for money in ("budget", "spent"):
            # The model holds this rule only as a table constraint, which names no field.
            self.fields[money].validators.append(MinValueValidator(0))
            self.fields[money].widget.attrs["min"] = 0
