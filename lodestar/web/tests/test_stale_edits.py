"""No silent overwrite on the pages: an edit form carries the version it was read at; a
form submitted after someone else saved the object answers 409, says who changed it and
when above the form, and writes nothing."""

import pytest
from django.urls import reverse

from lodestar.strategy.models import Measure
from lodestar.strategy.services import measure_create, measure_update, strategic_objective_create


@pytest.fixture
def measure(world):
    objective = strategic_objective_create(
        acting=None,
        scorecard=world.scorecard,
        perspective=world.perspective("Customer"),
        name="Delight customers",
    )
    return measure_create(acting=None, objective=objective, name="NPS", baseline=0, target=50)


def form_data(response, **changes) -> dict:
    """What the browser would send back: the form as shown, with some fields changed."""
    form = response.context["form"]
    shown = {name: form[name].value() for name in form.fields}
    data = {**shown, **changes}
    return {k: v for k, v in data.items() if v is not None and v is not False}


def test_an_edit_form_carries_the_version_in_a_hidden_field(world, measure, signed_in):
    html = signed_in(world.strat).get(reverse("measure-edit", args=[measure.pk])).content.decode()
    assert '<input type="hidden" name="version" value="1"' in html


def test_a_stale_form_answers_409_naming_who_changed_it_and_writes_nothing(
    world, measure, signed_in
):
    client = signed_in(world.strat)
    url = reverse("measure-edit", args=[measure.pk])
    opened = client.get(url)
    measure_update(acting=world.admin, measure=measure, target=70)
    response = client.post(url, form_data(opened, target=60, name="Net promoter score"))
    assert response.status_code == 409
    html = response.content.decode()
    alert = html[html.index('role="alert"') : html.index("Fields marked")]
    assert "Admin changed this at " in alert and "reload" in alert
    stored = Measure.objects.get(pk=measure.pk)
    assert (stored.target, stored.name, stored.version) == (70, "NPS", 2)


def test_a_fresh_form_saves_and_moves_the_version(world, measure, signed_in):
    client = signed_in(world.strat)
    url = reverse("measure-edit", args=[measure.pk])
    response = client.post(url, form_data(client.get(url), target=60))
    assert response.status_code == 302
    stored = Measure.objects.get(pk=measure.pk)
    assert (stored.target, stored.version) == (60, 2)


def test_a_create_form_has_no_version(world, measure, signed_in):
    page = signed_in(world.strat).get(reverse("measure-new", args=[measure.objective_id]))
    assert "version" not in page.context["form"].fields
