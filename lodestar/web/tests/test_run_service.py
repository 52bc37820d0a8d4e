"""The one mapping of a service's refusal to a form's errors (grade, check-in and every
form page): keyed messages beside their field, anything else above the form, never a 500."""

import pytest
from django.core.exceptions import ValidationError

from lodestar.okrs.models import KeyResult
from lodestar.okrs.services import cycle_close, key_result_create, objective_create
from lodestar.web.forms import run_service
from lodestar.web.forms.okrs import CheckInForm, GradeForm


def refuse(error: ValidationError):
    def write():
        raise error

    return write


@pytest.mark.parametrize(
    "make_form",
    [GradeForm, lambda data: CheckInForm(data, key_result=KeyResult())],
    ids=["GradeForm", "CheckInForm"],
)
def test_a_refusal_not_keyed_by_field_shows_above_the_form(make_form):
    form = make_form({"final_grade": "0.5", "value": "3", "confidence": "5"})
    assert form.is_valid()
    saved = run_service(form, refuse(ValidationError("The cycle closed a moment ago.")))
    assert saved is None
    assert form.non_field_errors() == ["The cycle closed a moment ago."]


def test_a_refusal_keyed_by_a_field_shows_beside_it():
    form = GradeForm({"final_grade": "0.5"})
    assert form.is_valid()
    run_service(form, refuse(ValidationError({"final_grade": ["Not in planning."]})))
    assert form.errors["final_grade"] == ["Not in planning."]


def test_a_refusal_keyed_by_a_field_the_form_lacks_shows_above_it():
    form = CheckInForm({"value": "3", "confidence": "5"}, key_result=KeyResult())
    assert form.is_valid()
    run_service(form, refuse(ValidationError({"key_result": ["The cycle is closed."]})))
    assert form.non_field_errors() == ["The cycle is closed."]


def test_a_check_in_on_a_closed_cycle_is_refused_on_the_page_not_with_a_500(world, client):
    objective = objective_create(acting=None, cycle=world.cycle, title="Ship", unit=world.sales)
    key_result = key_result_create(
        acting=None, objective=objective, title="Ten demos", owner=world.member, target=10
    )
    cycle_close(acting=None, cycle=world.cycle)
    client.force_login(world.admin)
    page = client.post(f"/key-results/{key_result.pk}/check-in", {"value": 3, "confidence": 5})
    assert page.status_code == 400
    assert b"closed" in page.content
