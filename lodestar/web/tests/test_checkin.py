"""The check-in: one POST moves the key result, its objectives and the strategy above,
answers a browser with a redirect and a fetch with JSON, and refuses what it must."""

import pytest
from django.db import connection
from django.template.defaultfilters import date as date_filter
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lodestar.okrs.models import CheckIn, KeyResult, Objective
from lodestar.okrs.services import (
    checkin_create,
    cycle_close,
    key_result_create,
    key_result_hold,
    objective_create,
)
from lodestar.strategy.models import StrategicObjective
from lodestar.strategy.services import strategic_objective_create

FETCH = {"HTTP_X_REQUESTED_WITH": "fetch"}


@pytest.fixture
def okr(world):
    growth = strategic_objective_create(
        acting=None,
        scorecard=world.scorecard,
        perspective=world.perspective("Financial"),
        name="Grow",
    )
    objective = objective_create(
        acting=None,
        cycle=world.cycle,
        title="Sell more",
        unit=world.sales,
        owner=world.lead,
        contributes_to=[growth],
    )
    key_result = key_result_create(
        acting=None,
        objective=objective,
        title="Close deals",
        owner=world.member,
        target=10,
        unit_label="deals",
    )
    return objective, key_result, growth


def post(client, key_result, data, **headers):
    return client.post(reverse("checkin", args=[key_result.pk]), data, **headers)


def test_a_check_in_updates_the_key_result_its_objective_and_the_strategy(okr, signed_in, world):
    objective, key_result, growth = okr
    assert StrategicObjective.objects.get(pk=growth.pk).execution == 0
    page = post(signed_in(world.member), key_result, {"value": 6, "confidence": 7, "note": "ok"})
    assert page.status_code == 302
    assert page.url == reverse("key-result", args=[key_result.pk])
    key_result.refresh_from_db()
    assert (key_result.current, key_result.score, key_result.latest_confidence) == (6, 0.6, 7)
    assert Objective.objects.get(pk=objective.pk).score == pytest.approx(0.6)
    assert StrategicObjective.objects.get(pk=growth.pk).execution == pytest.approx(0.6)
    checkin = CheckIn.objects.get(key_result=key_result)
    assert (checkin.author, checkin.note) == (world.member, "ok")


def test_it_says_the_new_score_and_goes_back_to_a_safe_next(okr, signed_in, world):
    _, key_result, _ = okr
    client = signed_in(world.member)
    page = post(client, key_result, {"value": 7, "confidence": 8, "next": "/my/"}, follow=True)
    assert page.redirect_chain[0][0] == "/my/"
    (message,) = (str(m) for m in page.context["messages"])
    assert "score 0.70 (green)" in message


def test_it_ignores_a_next_pointing_elsewhere(okr, signed_in, world):
    _, key_result, _ = okr
    page = post(
        signed_in(world.member),
        key_result,
        {"value": 1, "confidence": 5, "next": "https://evil.example/"},
    )
    assert page.url == reverse("key-result", args=[key_result.pk])


def test_it_refuses_a_check_in_on_a_closed_cycle_and_writes_nothing(okr, signed_in, world):
    _, key_result, _ = okr
    cycle_close(acting=None, cycle=world.cycle)
    page = post(signed_in(world.member), key_result, {"value": 9, "confidence": 9})
    assert page.status_code == 400
    html = page.content.decode()
    # The page offers no form any more, and says why where the form stood.
    assert 'class="form checkin-form"' not in html
    assert "The cycle Q4 2026 is closed: its key results are a record" in html
    assert not CheckIn.objects.exists()
    assert KeyResult.objects.get(pk=key_result.pk).current == 0


def test_a_bad_confidence_is_shown_beside_its_field(okr, signed_in, world):
    _, key_result, _ = okr
    page = post(signed_in(world.member), key_result, {"value": 3, "confidence": 11})
    assert page.status_code == 400
    html = page.content.decode()
    assert 'id="checkin-confidence-errors"' in html
    errors = html[html.index('id="checkin-confidence-errors"') :]
    assert "less than or equal to 10" in errors[: errors.index("</ul>")]
    assert not CheckIn.objects.exists()


def test_fetch_gets_the_new_score_progress_and_pace_as_json(okr, signed_in, world):
    _, key_result, _ = okr
    answer = post(signed_in(world.member), key_result, {"value": 5, "confidence": 6}, **FETCH)
    assert answer.status_code == 200
    data = answer.json()
    assert data["score"] == 0.5
    assert data["progress"] == 0.5
    assert data["colour"] == "yellow"
    assert data["pace"] in {"on_track", "behind", "at_risk"}
    assert data["current_label"] == "5 deals"
    assert CheckIn.objects.filter(key_result=key_result).count() == 1
    # The row's "last check-in" date, written as the page writes it, in local time.
    made = CheckIn.objects.get(key_result=key_result).created_at
    assert data["last_checkin_label"] == date_filter(made, "j M")
    assert data["last_checkin_label"] == timezone.localtime(made).strftime("%-d %b")


def test_fetch_gets_the_errors_as_json(okr, signed_in, world):
    _, key_result, _ = okr
    answer = post(
        signed_in(world.member),
        key_result,
        {"value": "", "confidence": 5},
        HTTP_ACCEPT="application/json",
    )
    assert answer.status_code == 400
    assert "value" in answer.json()["errors"]


def test_a_viewer_may_not_check_in(okr, signed_in, world):
    _, key_result, _ = okr
    assert (
        post(signed_in(world.viewer), key_result, {"value": 1, "confidence": 5}).status_code == 403
    )
    assert not CheckIn.objects.exists()


def test_a_private_key_result_of_someone_else_is_not_found(world, signed_in):
    private = objective_create(
        acting=None, cycle=world.cycle, title="Mine", owner=world.lead, visibility="private"
    )
    key_result = key_result_create(
        acting=None, objective=private, title="Hidden", owner=world.lead, target=3
    )
    page = post(signed_in(world.outsider), key_result, {"value": 1, "confidence": 5})
    assert page.status_code == 404


def test_it_only_accepts_post(okr, signed_in, world):
    _, key_result, _ = okr
    assert signed_in(world.member).get(reverse("checkin", args=[key_result.pk])).status_code == 405


def test_a_shared_key_result_moves_every_objective_holding_it(okr, signed_in, world):
    objective, key_result, _ = okr
    other = objective_create(
        acting=None, cycle=world.cycle, title="Team goal", unit=world.inside_sales
    )
    key_result_hold(acting=None, objective=other, key_result=key_result)
    post(signed_in(world.member), key_result, {"value": 4, "confidence": 5})
    scores = Objective.objects.filter(pk__in=[objective.pk, other.pk]).values_list(
        "score", flat=True
    )
    assert list(scores) == [pytest.approx(0.4)] * 2


def test_its_query_count_does_not_grow_with_the_history(okr, signed_in, world):
    _, key_result, _ = okr
    client = signed_in(world.member)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert post(client, key_result, {"value": 2, "confidence": 5}).status_code == 302
        return len(captured)

    first = queries()
    for value in range(30):
        checkin_create(acting=None, key_result=key_result, value=value % 10, confidence=5)
    assert queries() == first
