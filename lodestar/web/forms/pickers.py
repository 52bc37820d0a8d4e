"""Pickers for long lists of objects: options in named groups (objectives under their
scorecard and perspective, measures under their scorecard), units as an indented tree,
and a filter box (`web/select_filter.js`) on any picker marked `filterable`. Each reads
its queryset once, as the plain field does: the page's query count does not grow."""

from collections.abc import Callable
from itertools import groupby

from django import forms
from django.db.models import QuerySet
from django.forms.models import ModelChoiceIterator

from lodestar import tree
from lodestar.strategy.models import Measure, StrategicObjective

# Kept by the browser where ordinary spaces in an option's text would be collapsed.
INDENT = "\u00a0\u00a0\u00a0"
FILTERABLE = "filterable"


def _objects(iterator: ModelChoiceIterator):
    queryset = iterator.queryset
    # As Django's own iterator: stream unless prefetched objects must come along.
    return queryset if queryset._prefetch_related_lookups else queryset.iterator()


class GroupedChoiceIterator(ModelChoiceIterator):
    """`(group, options)` pairs, which widgets render as <optgroup>s; the queryset's
    ordering keeps each group's objects together."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for group, objects in groupby(_objects(self), key=self.field.group_of):
            yield (group, [self.choice(obj) for obj in objects])


class TreeChoiceIterator(ModelChoiceIterator):
    """Units in tree order, each indented under its parent; a unit whose parent is not
    among the choices starts at the left."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        units = {unit.pk: unit for unit in _objects(self)}
        parent_of = tree.parent_within(units, lambda unit: unit.parent_id)
        children = tree.children_of({pk: parent_of(pk) for pk in units})
        placed = tree.depth_first(children.get(None, []), children)
        # A stored loop has no root inside the choices: its units are still offered.
        placed += [(pk, 0) for pk in units.keys() - {pk for pk, _ in placed}]
        for pk, depth in placed:
            value, label = self.choice(units[pk])
            yield (value, INDENT * depth + label)


def filterable(field: forms.Field) -> forms.Field:
    """A filter box above the picker narrows its options as the person types."""
    classes = field.widget.attrs.get("class", "").split()
    field.widget.attrs["class"] = " ".join([*classes, FILTERABLE])
    return field


def grouped(
    field: forms.ModelChoiceField,
    group_of: Callable[[object], str],
    label_of: Callable[[object], str] | None = None,
) -> forms.ModelChoiceField:
    """Options grouped by `group_of(obj)` (the queryset must be ordered by it)."""
    field.iterator = GroupedChoiceIterator
    field.group_of = group_of
    if label_of is not None:
        field.label_from_instance = label_of
    field.widget.choices = field.choices
    return filterable(field)


def unit_tree(field: forms.ModelChoiceField) -> forms.ModelChoiceField:
    field.iterator = TreeChoiceIterator
    field.widget.choices = field.choices
    return filterable(field)


def checkboxes(field: forms.ModelMultipleChoiceField) -> forms.ModelMultipleChoiceField:
    """Several choices as ticks rather than a Ctrl-click list."""
    field.widget = forms.CheckboxSelectMultiple(choices=field.choices)
    return field


# The pickers of the two frameworks' objects ------------------------------------------
def strategic_objective_choices(
    field: forms.ModelChoiceField, queryset: QuerySet[StrategicObjective]
) -> forms.ModelChoiceField:
    """Under "unit · scorecard › perspective", top band first as on the scorecard page."""
    field.queryset = queryset.select_related("scorecard__unit", "perspective").order_by(
        "scorecard__unit__name",
        "-scorecard__period_start",
        "scorecard_id",
        "-perspective__position",
        "code",
        "name",
    )
    return grouped(field, lambda objective: f"{objective.scorecard} › {objective.perspective}")


def measures(field: forms.ModelChoiceField, queryset: QuerySet[Measure]) -> forms.ModelChoiceField:
    """Under "unit · scorecard › objective"."""
    field.queryset = queryset.select_related("objective__scorecard__unit").order_by(
        "objective__scorecard__unit__name",
        "-objective__scorecard__period_start",
        "objective__scorecard_id",
        "objective__code",
        "objective__name",
        "objective_id",
        "name",
    )
    return grouped(field, lambda measure: f"{measure.objective.scorecard} › {measure.objective}")
