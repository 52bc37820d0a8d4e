"""The one bound on numbers, text and ids (`lodestar.validation`), and the model write
path every service, command and import goes through (`validated_save`)."""

import math
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from lodestar.okrs.models import CheckIn
from lodestar.okrs.services import checkin_create, key_result_create, objective_create
from lodestar.strategy.models import Initiative, MeasureValue, StrategicObjective, Theme
from lodestar.strategy.services import (
    initiative_create,
    measure_create,
    measure_value_record,
    strategic_objective_create,
    strategic_objective_update,
    theme_create,
)
from lodestar.validation import (
    MAX_ID,
    NUMBER_MESSAGE,
    TEXT_MESSAGE,
    check_id,
    check_number,
    check_text,
    parse_id,
)

OUTSIDE = [1e12 * 1.0000001, -1.1e12, 1e308, -1e308, math.inf, -math.inf, math.nan, 2**64]


@pytest.mark.parametrize("value", [0, 1, -1e12, 1e12, 0.5, Decimal("999999999999.99")])
def test_it_accepts_numbers_within_the_bound(value):
    assert check_number(value) == value


@pytest.mark.parametrize("value", [*OUTSIDE, Decimal("NaN"), Decimal("1e13"), True, "1", None])
def test_it_refuses_numbers_outside_the_bound_in_domain_words(value):
    with pytest.raises(ValidationError) as error:
        check_number(value)
    assert error.value.messages == [
        "Must be a number between -1,000,000,000,000 and 1,000,000,000,000."
    ]


def test_negative_zero_becomes_zero():
    assert math.copysign(1, check_number(-0.0)) == 1
    assert str(check_number(Decimal("-0"))) == "0"


@pytest.mark.parametrize("text", ["a\x00b", "\ud800", "x\udfffy"])
def test_it_refuses_nul_and_lone_surrogates(text):
    with pytest.raises(ValidationError):
        check_text(text)


def test_it_accepts_any_other_text():
    text = "Grow 🚀 naïve “quoted” text\n\ttabbed"
    assert check_text(text) == text


@pytest.mark.parametrize("value", [0, -1, MAX_ID + 1, 2**64, True, "1"])
def test_it_refuses_ids_out_of_range(value):
    with pytest.raises(ValidationError):
        check_id(value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("12", 12), (str(MAX_ID), MAX_ID), ("0", None), ("-1", None), ("²", None),
     (str(2**64), None), ("1.5", None), ("", None), (None, None), ("1" * 5000, None)],
)  # fmt: skip
def test_it_parses_only_ids_in_range(text, expected):
    assert parse_id(text) == expected


@pytest.fixture
def key_result(world):
    objective = objective_create(acting=None, cycle=world.cycle, title="Grow", unit=world.sales)
    return key_result_create(
        acting=None, objective=objective, title="Users", owner=world.member, target=50
    )


@pytest.mark.parametrize("value", OUTSIDE)
def test_a_service_refuses_a_check_in_outside_the_bound_and_writes_nothing(key_result, value):
    with pytest.raises(ValidationError) as error:
        checkin_create(acting=None, key_result=key_result, value=value, confidence=5)
    assert "value" in error.value.message_dict
    assert not CheckIn.objects.exists()
    key_result.refresh_from_db()
    assert key_result.current == 0


def test_a_check_in_of_negative_zero_is_stored_as_zero(key_result):
    checkin = checkin_create(acting=None, key_result=key_result, value=-0.0, confidence=5)
    checkin.refresh_from_db()
    assert math.copysign(1, checkin.value) == 1


@pytest.mark.parametrize("text", ["a\x00b", "\ud800"])
def test_services_refuse_unstorable_text_naming_the_field(world, key_result, text):
    with pytest.raises(ValidationError) as error:
        theme_create(acting=None, scorecard=world.scorecard, name="Growth", description=text)
    assert error.value.message_dict == {"description": [TEXT_MESSAGE]}
    assert not Theme.objects.exists()
    with pytest.raises(ValidationError) as error:
        checkin_create(acting=None, key_result=key_result, value=1, confidence=5, note=text)
    assert error.value.message_dict == {"note": [TEXT_MESSAGE]}


def test_an_update_checks_only_what_it_changes(world):
    """A row stored before the bound can still be edited in its other fields."""
    goal = strategic_objective_create(
        acting=None,
        scorecard=world.scorecard,
        perspective=world.perspective("Customer"),
        name="Delight",
    )
    StrategicObjective.objects.filter(pk=goal.pk).update(weight=1e300)
    goal.refresh_from_db()
    strategic_objective_update(acting=None, objective=goal, name="Delight customers")
    with pytest.raises(ValidationError) as error:
        strategic_objective_update(acting=None, objective=goal, weight=1e300)
    assert error.value.message_dict == {"weight": [NUMBER_MESSAGE]}


def test_money_and_measure_values_are_bounded_too(world):
    goal = strategic_objective_create(
        acting=None,
        scorecard=world.scorecard,
        perspective=world.perspective("Customer"),
        name="Delight",
    )
    measure = measure_create(acting=None, objective=goal, name="NPS", baseline=0, target=50)
    with pytest.raises(ValidationError) as error:
        measure_value_record(acting=None, measure=measure, period=date(2026, 3, 1), actual=1e300)
    assert error.value.message_dict == {"actual": [NUMBER_MESSAGE]}
    assert not MeasureValue.objects.exists()
    with pytest.raises(ValidationError) as error:
        initiative_create(
            acting=None, name="Big", strategic_objectives=[goal], budget=Decimal("9999999999999.99")
        )
    assert "budget" in error.value.message_dict
    assert not Initiative.objects.exists()
