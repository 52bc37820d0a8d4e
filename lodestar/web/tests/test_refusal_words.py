"""A refusal on a form page is said in the domain's words, beside its field: never the
database's (a constraint's name, "is violated"), whichever rule the input breaks."""

import re

import pytest
from django.db import models
from django.urls import reverse

from lodestar.strategy.services import strategic_objective_create
from lodestar.web.tests.form_assertions import error_beside

INITIATIVE = {"name": "Pricing", "budget": "0", "spent": "0", "status": "planned"}
MEASURE = {"name": "M", "frequency": "monthly", "weight": "1"}


def constraint_names() -> set[str]:
    from django.apps import apps

    return {
        constraint.name % {"class": model.__name__.lower(), "app_label": model._meta.app_label}
        for model in apps.get_models()
        for constraint in model._meta.constraints
        if isinstance(constraint, models.BaseConstraint)
    }


@pytest.fixture
def objective(world):
    return strategic_objective_create(
        acting=None, scorecard=world.scorecard, perspective=world.perspective("Customer"), name="A"
    )


@pytest.mark.parametrize(
    ("form", "data", "field", "words"),
    [
        (
            "initiative-new",
            {**INITIATIVE, "start": "2026-05-01", "end": "2026-01-01", "percent_complete": "0"},
            "end",
            "cannot end before it starts",
        ),
        (
            "initiative-new",
            {**INITIATIVE, "percent_complete": "150"},
            "percent_complete",
            "less than or equal to 100",
        ),
        (
            "measure-new",
            {**MEASURE, "direction": "higher", "baseline": "1", "target": "1"},
            "target",
            "differ from baseline",
        ),
        (
            "measure-new",
            {**MEASURE, "direction": "range", "baseline": "1", "target": "5", "upper": "2"},
            "upper",
            "at least the lower bound",
        ),
    ],
)
def test_a_refusal_names_the_rule_not_the_database(
    world, objective, signed_in, form, data, field, words
):
    url = reverse(form, args=[objective.pk]) if form == "measure-new" else reverse(form)
    if form == "initiative-new":
        data = {**data, "strategic_objectives": [objective.pk]}
    response = signed_in(world.strat).post(url, data)
    assert words in error_beside(response, field)
    html = response.content.decode()
    assert not re.search(r"is violated|[Cc]onstraint", html)
    assert not [name for name in constraint_names() if name in html]


def test_an_initiative_moved_to_end_before_it_starts_is_refused_beside_its_end(
    world, objective, signed_in
):
    client = signed_in(world.strat)
    client.post(
        reverse("initiative-new"),
        {
            **INITIATIVE,
            "strategic_objectives": [objective.pk],
            "percent_complete": "0",
            "start": "2026-01-01",
        },
    )
    initiative = objective.initiatives.get()
    response = client.post(
        reverse("initiative-edit", args=[initiative.pk]),
        {
            **INITIATIVE,
            "strategic_objectives": [objective.pk],
            "percent_complete": "0",
            "start": "2026-01-01",
            "end": "2025-12-01",
            "version": initiative.version,
        },
    )
    assert "cannot end before it starts" in error_beside(response, "end")
    initiative.refresh_from_db()
    assert initiative.end is None
