"""Forms of the OKRs. Choices are narrowed to what the person may use: units they may
write OKRs for, parents from the same cycle that they may see, open cycles."""

from django import forms
from django.db.models import Q, QuerySet

from lodestar import scoring
from lodestar.okrs.models import Cycle, KeyResult, Objective
from lodestar.org.models import Person, Unit
from lodestar.scores.words import pace_word
from lodestar.strategy.models import Measure, StrategicObjective
from lodestar.validation import parse_id
from lodestar.web.forms import BoundedForm, IdChoiceField, ServiceForm, people_choices
from lodestar.web.forms.pickers import (
    checkboxes,
    filterable,
    measures,
    strategic_objective_choices,
    unit_tree,
)


class CycleForm(ServiceForm):
    model = Cycle
    model_fields = ("name", "start", "end")


class ObjectiveForm(ServiceForm):
    """`cycle` is a field when creating; an existing objective stays in its cycle (its
    key results belong to that cycle)."""

    model = Objective
    model_fields = (
        "cycle",
        "title",
        "description",
        "unit",
        "owner",
        "parent",
        "contributes_to",
        "kind",
        "visibility",
        "weight",
    )

    def __init__(
        self,
        *args,
        units: QuerySet[Unit],
        parents: QuerySet[Objective],
        cycles: QuerySet[Cycle] | None = None,
        owner=None,
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        if cycles is None:
            del self.fields["cycle"]
        else:
            self.fields["cycle"].queryset = cycles
        self.fields["unit"].queryset = units
        unit_tree(self.fields["unit"])
        self.fields["unit"].help_text = "Empty for a personal objective of its owner."
        self.fields["owner"].queryset = people_choices(owner)
        filterable(self.fields["owner"])
        self.fields["parent"].queryset = parents
        filterable(self.fields["parent"])
        self.fields["parent"].help_text = "An objective of the same cycle this one serves."
        # A draft scorecard's objectives only where already chosen (a starter's example
        # serving its draft): offered to nobody else, and an edit never drops them.
        # (Prefilled from the query string too: only what can be an id is looked up.)
        named = (parse_id(getattr(o, "pk", o)) for o in self.initial.get("contributes_to", []))
        chosen = [pk for pk in named if pk is not None]
        strategic_objective_choices(
            checkboxes(self.fields["contributes_to"]),
            StrategicObjective.objects.filter(
                Q(scorecard__published_at__isnull=False) | Q(pk__in=chosen)
            ),
        )
        self.fields["contributes_to"].label = "Contributes to (strategic objectives)"


class KeyResultForm(ServiceForm):
    model = KeyResult
    model_fields = ("title", "owner", "kind", "baseline", "target", "unit_label", "linked_measure")

    def __init__(self, *args, linkable: QuerySet[Measure], owner=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people_choices(owner)
        filterable(self.fields["owner"])
        measures(self.fields["linked_measure"], linkable)
        self.fields["linked_measure"].help_text = (
            "A check-in also records this measure's actual for the period; only measures "
            "you may record values for are offered."
        )
        self.fields["target"].help_text = (
            "A milestone: 1 for done or not done (checked in with a switch), 100 to check "
            "in percentages."
        )


class NewKeyResultForm(KeyResultForm):
    weight = forms.FloatField(
        initial=1.0, help_text="Its weight among the objective's key results."
    )


class HoldKeyResultForm(BoundedForm):
    """Share a key result of the same cycle: the objective holds it too."""

    key_result = IdChoiceField(queryset=KeyResult.objects.none(), label="Key result")
    weight = forms.FloatField(
        initial=1.0, help_text="Its weight among this objective's key results."
    )

    def __init__(self, *args, key_results: QuerySet[KeyResult], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["key_result"].queryset = key_results


# The page forms that no model backs: a check-in, the tree filter, a grade. ---------
STATUS_CHOICES = [
    ("", "Any status"),
    ("green", "Green"),
    ("yellow", "Yellow"),
    ("red", "Red"),
    ("grey", "No score"),
    *((pace.value, f"Pace: {pace_word(pace)}") for pace in scoring.PACE_ORDER),
]


def asks_done(key_result: KeyResult) -> bool:
    """A done / not done milestone (target 1) is checked in with a switch; one counted
    in steps or percentages (another target) keeps its number."""
    return key_result.kind == KeyResult.Kind.MILESTONE and key_result.target == 1


class CheckInForm(BoundedForm):
    """A done / not done milestone is checked in with a switch: done is 1, not done 0."""

    value = forms.FloatField(required=False)
    done = forms.BooleanField(required=False)
    confidence = forms.IntegerField(min_value=0, max_value=10)
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, key_result: KeyResult, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.key_result = key_result
        self.asks_done = asks_done(key_result)
        self.fields["value" if self.asks_done else "done"].disabled = True

    def clean(self) -> dict:
        cleaned = super().clean()
        done = cleaned.pop("done", False)
        if self.asks_done:
            cleaned["value"] = 1.0 if done else 0.0
        elif cleaned.get("value") is None and "value" not in self.errors:
            self.add_error("value", forms.Field.default_error_messages["required"])
        return cleaned


class TreeFilterForm(BoundedForm):
    unit = IdChoiceField(Unit.objects.all(), required=False, empty_label="Any unit")
    # A username, not a list of every person: the page stays small in a large company.
    owner = forms.ModelChoiceField(
        Person.objects.all(),
        required=False,
        to_field_name="username",
        widget=forms.TextInput(attrs={"placeholder": "username"}),
        error_messages={"invalid_choice": "No one has this username."},
    )
    status = forms.ChoiceField(choices=STATUS_CHOICES, required=False)


class GradeForm(BoundedForm):
    final_grade = forms.FloatField(
        required=False, min_value=0, max_value=1, help_text="0 to 1; empty for no grade."
    )
    grade_reason = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Reason for the grade",
        help_text="Needed when the grade is not the computed score.",
    )
    retrospective = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}), label="Retrospective"
    )


def grade_form(objective: Objective, data=None) -> GradeForm:
    """Ids unique per objective, since the review page holds one form per objective."""
    return GradeForm(
        data,
        auto_id=f"grade-{objective.pk}-%s",
        initial={
            "final_grade": objective.final_grade,
            "grade_reason": objective.grade_reason,
            "retrospective": objective.retrospective,
        },
    )
