"""The bound of `lodestar.validation` on every web form: numbers within ±1e12, text
without NUL or lone surrogates, ids that can exist; each refusal beside its field,
nothing written."""

import html

import pytest
from django import forms
from django.urls import reverse

from lodestar.okrs.models import CheckIn, KeyResult, Objective
from lodestar.okrs.services import key_result_create, objective_create
from lodestar.strategy.models import Initiative, StrategicObjective, Theme
from lodestar.strategy.services import strategic_objective_create, theme_create
from lodestar.validation import NUMBER_MESSAGE, TEXT_MESSAGE
from lodestar.web.forms import BoundedForm, IdChoiceField, IdMultipleChoiceField
from lodestar.web.forms.strategy import ThemeForm
from lodestar.web.tests.form_assertions import error_beside
from lodestar.web.views.okrs import CheckInForm, GradeForm

HUGE_IDS = [str(2**64), str(-(2**64)), "-1", "0", "x", "²", "1" * 400]


@pytest.fixture
def key_result(world):
    objective = objective_create(
        acting=None, cycle=world.cycle, title="Sell more", unit=world.sales, owner=world.member
    )
    return key_result_create(
        acting=None, objective=objective, title="Close deals", owner=world.member, target=10
    )


@pytest.mark.parametrize("value", ["1e308", "-1e308", "1e13", "1000000000001"])
def test_a_members_web_check_in_beyond_the_bound_is_refused(key_result, signed_in, world, value):
    """It used to be stored, and then the forecast of every page overflowed."""
    answer = signed_in(world.member).post(
        reverse("checkin", args=[key_result.pk]), {"value": value, "confidence": 5}
    )
    assert answer.status_code == 400
    page = answer.content.decode()
    errors = page[page.index('id="checkin-value-errors"') :]
    assert html.escape(NUMBER_MESSAGE) in errors[: errors.index("</ul>")]
    assert not CheckIn.objects.exists()
    assert KeyResult.objects.get(pk=key_result.pk).current == 0


def test_a_web_check_in_of_negative_zero_is_stored_as_zero(key_result, signed_in, world):
    answer = signed_in(world.member).post(
        reverse("checkin", args=[key_result.pk]), {"value": "-0", "confidence": 5}
    )
    assert answer.status_code == 302
    assert str(CheckIn.objects.get().value) == "0.0"


@pytest.mark.parametrize("text", ["\ud800", "a\x00b"])
def test_forms_refuse_lone_surrogates_and_nul_beside_the_field(text):
    form = ThemeForm({"name": "Growth", "description": text})
    assert not form.is_valid()
    assert form.errors["description"]
    form = CheckInForm({"value": "1", "confidence": "5", "note": text}, key_result=KeyResult())
    assert not form.is_valid() and form.errors["note"]
    form = GradeForm({"final_grade": "0.5", "retrospective": text})
    assert not form.is_valid() and form.errors["retrospective"]


def test_a_lone_surrogate_gets_the_domain_message():
    form = ThemeForm({"name": "Growth", "description": "broken \ud800 text"})
    assert form.errors["description"] == [TEXT_MESSAGE]


def test_a_nul_in_a_web_description_is_refused_and_nothing_written(signed_in, world):
    answer = signed_in(world.admin).post(
        reverse("theme-new", args=[world.scorecard.pk]), {"name": "Growth", "description": "a\0b"}
    )
    assert answer.status_code == 400
    assert error_beside(answer, "description")
    assert not Theme.objects.exists()


@pytest.fixture
def strategic(world):
    return strategic_objective_create(
        acting=None,
        scorecard=world.scorecard,
        perspective=world.perspective("Customer"),
        name="Delight customers",
    )


@pytest.mark.parametrize("bad", HUGE_IDS)
def test_an_objective_contributing_to_an_impossible_id_is_refused(world, signed_in, bad):
    answer = signed_in(world.admin).post(
        reverse("objective-new"),
        {
            "cycle": world.cycle.pk,
            "title": "Sell more",
            "unit": world.sales.pk,
            "owner": world.admin.pk,
            "contributes_to": [bad],
            "kind": "committed",
            "visibility": "public",
            "weight": "1",
        },
    )
    assert answer.status_code == 400
    assert error_beside(answer, "contributes_to")
    assert not Objective.objects.exists()


@pytest.mark.parametrize("bad", HUGE_IDS)
def test_impossible_ids_in_themes_objectives_and_owners_are_refused(
    world, signed_in, strategic, bad
):
    client = signed_in(world.admin)
    theme_create(acting=None, scorecard=world.scorecard, name="Growth")
    answer = client.post(
        reverse("strategic-objective-new", args=[world.scorecard.pk]),
        {
            "name": "Win",
            "perspective": world.perspective("Customer").pk,
            "weight": "1",
            "themes": [bad],
        },
    )
    assert error_beside(answer, "themes")
    answer = client.post(
        reverse("initiative-new"),
        {
            "name": "Launch",
            "strategic_objectives": [strategic.pk, bad],
            "budget": "0",
            "spent": "0",
        },
    )
    assert error_beside(answer, "strategic_objectives")
    answer = client.post(
        reverse("strategic-objective-new", args=[world.scorecard.pk]),
        {"name": "Win", "perspective": bad, "owner": bad, "weight": "1"},
    )
    assert error_beside(answer, "perspective") and error_beside(answer, "owner")
    assert StrategicObjective.objects.count() == 1
    assert not Initiative.objects.exists()


@pytest.mark.parametrize("bad", HUGE_IDS)
def test_pages_ignore_impossible_ids_in_their_query_strings(world, signed_in, bad):
    client = signed_in(world.member)
    for url in (
        f"{reverse('okr-tree')}?cycle={bad}&unit={bad}&owner={bad}",
        f"{reverse('alignment')}?unit={bad}",
        f"{reverse('objective-new')}?cycle={bad}&parent={bad}&contributes_to={bad}",
    ):
        assert client.get(url).status_code in (200, 403)


def every_form_class() -> list[type]:
    import lodestar.web.views.edit_okrs
    import lodestar.web.views.edit_strategy  # noqa: F401  (import: define every form)

    found, waiting = [], [forms.Form]
    while waiting:
        for subclass in waiting.pop().__subclasses__():
            waiting.append(subclass)
            if subclass.__module__.startswith("lodestar."):
                found.append(subclass)
    return found


def test_every_form_of_the_app_is_bounded_and_picks_objects_by_bounded_ids():
    classes = every_form_class()
    assert len(classes) > 15
    assert [c.__name__ for c in classes if not issubclass(c, BoundedForm)] == []
    loose = [
        f"{c.__name__}.{name}"
        for c in classes
        for name, field in c.base_fields.items()
        if isinstance(field, forms.ModelChoiceField)
        and not isinstance(field, (IdChoiceField, IdMultipleChoiceField))
        and field.to_field_name is None  # picked by a name (a username), not an id
    ]
    assert loose == []
