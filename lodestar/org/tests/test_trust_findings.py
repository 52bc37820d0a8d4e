"""The hostile member's findings, each reproduced: every one answered 2xx before."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from lodestar.okrs.models import KeyResult, Objective
from lodestar.okrs.services import (
    checkin_create,
    cycle_create,
    key_result_create,
    objective_create,
)
from lodestar.strategy.models import MeasureValue
from lodestar.strategy.services import (
    measure_create,
    measure_value_record,
    scorecard_create,
    strategic_objective_create,
    theme_create,
)


def api(client, method: str, path: str, body=None):
    return getattr(client, method)(f"/api/v1/{path}", body, content_type="application/json")


@pytest.fixture
def engineering_key_result(world):
    """A key result of the Support team's objective, owned by its lead... here `lead`
    stands in for nobody: the outsider (Support) owns it; `member` (Sales) is hostile."""
    objective = objective_create(
        acting=None, cycle=world.cycle, title="Ship faster", unit=world.support
    )
    return key_result_create(
        acting=None, objective=objective, title="Deploys a week", owner=world.outsider, target=20
    )


def test_holding_a_key_result_gives_no_right_over_it(world, engineering_key_result, signed_in, as_):
    mine = objective_create(acting=None, cycle=world.cycle, title="Mine", owner=world.member)
    page = signed_in(world.member)
    response = page.post(
        reverse("key-result-hold", args=[mine.pk]),
        {"key_result": engineering_key_result.pk, "weight": "1"},
    )
    assert response.status_code == 302  # sharing into one's own objective is allowed
    assert mine.holdings.filter(key_result=engineering_key_result).exists()

    member = as_("member")
    path = f"key-results/{engineering_key_result.pk}"
    assert api(member, "patch", path, {"title": "Mine now"}).status_code == 403
    body = {"key_result": engineering_key_result.pk, "value": 1, "confidence": 5}
    assert api(member, "post", "checkins/", body).status_code == 403
    assert api(member, "delete", path).status_code == 403
    url = reverse("checkin", args=[engineering_key_result.pk])
    assert page.post(url, {"value": "1", "confidence": "5"}).status_code == 403
    engineering_key_result.refresh_from_db()
    assert engineering_key_result.title == "Deploys a week"
    assert engineering_key_result.current == 0
    assert KeyResult.objects.filter(pk=engineering_key_result.pk).exists()


def test_a_member_cannot_link_and_so_overwrite_a_company_measure(world, as_):
    strategic = strategic_objective_create(
        acting=None,
        scorecard=world.scorecard,
        perspective=world.perspective("Financial"),
        name="Grow revenue",
    )
    measure = measure_create(
        acting=None, objective=strategic, name="Revenue", baseline=10, target=20, owner=world.strat
    )
    measure_value_record(acting=None, measure=measure, period=date(2026, 11, 1), actual=15)
    mine = objective_create(acting=None, cycle=world.cycle, title="Mine", owner=world.member)
    member = as_("member")
    created = api(
        member,
        "post",
        "key-results/",
        {
            "objective": mine.pk,
            "title": "Revenue",
            "baseline": 10,
            "target": 20,
            "linked_measure": measure.pk,
        },
    )
    assert created.status_code == 403
    key_result = key_result_create(
        acting=None, objective=mine, title="Calls", owner=world.member, target=5
    )
    patched = api(member, "patch", f"key-results/{key_result.pk}", {"linked_measure": measure.pk})
    assert patched.status_code == 403
    assert KeyResult.objects.get(pk=key_result.pk).linked_measure is None
    assert MeasureValue.objects.get(measure=measure).actual == 15


def test_a_viewer_creates_no_objective_on_any_surface(world, as_, signed_in):
    body = {"cycle": world.cycle.pk, "title": "Viewer's"}
    assert api(as_("viewer"), "post", "objectives/", body).status_code == 403
    assert signed_in(world.viewer).get(reverse("objective-new")).status_code == 403
    assert not Objective.objects.filter(title="Viewer's").exists()


def test_a_lead_writes_a_personal_objective_for_a_member_on_both_surfaces(world, as_, signed_in):
    body = {"cycle": world.cycle.pk, "title": "Learn negotiation", "owner": world.member.pk}
    assert api(as_("lead"), "post", "objectives/", body).status_code == 201
    response = signed_in(world.lead).post(
        reverse("objective-new"),
        {
            "cycle": world.cycle.pk,
            "title": "Coach juniors",
            "owner": world.member.pk,
            "kind": "aspirational",
            "visibility": "public",
            "weight": "1",
        },
    )
    assert response.status_code == 302
    assert Objective.objects.filter(owner=world.member).count() == 2
    # and nobody writes one for someone outside their reach
    body = {"cycle": world.cycle.pk, "title": "Not yours", "owner": world.outsider.pk}
    assert api(as_("lead"), "post", "objectives/", body).status_code == 403


def test_a_grade_is_given_only_through_grading(world, as_):
    planned = cycle_create(
        acting=None, name="Q1 2027", start=date(2027, 1, 1), end=date(2027, 3, 31)
    )
    objective = objective_create(acting=None, cycle=planned, title="Later", unit=world.sales)
    response = api(as_("lead"), "patch", f"objectives/{objective.pk}", {"final_grade": 0.9})
    assert response.status_code in (400, 422)
    assert Objective.objects.get(pk=objective.pk).final_grade is None


def test_a_strategic_objective_takes_no_theme_of_another_scorecard(world):
    other = scorecard_create(
        acting=None,
        unit=world.sales,
        name="Sales",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
    )
    foreign = theme_create(acting=None, scorecard=other, name="Elsewhere")
    with pytest.raises(ValidationError) as refused:
        strategic_objective_create(
            acting=None,
            scorecard=world.scorecard,
            perspective=world.perspective("Customer"),
            name="Delight",
            themes=[foreign],
        )
    assert "another scorecard" in refused.value.message_dict["themes"][0]


def test_the_author_of_a_check_in_is_who_acted(world):
    objective = objective_create(acting=None, cycle=world.cycle, title="O", unit=world.sales)
    key_result = key_result_create(
        acting=None, objective=objective, title="K", owner=world.member, target=5
    )
    checkin = checkin_create(acting=world.member, key_result=key_result, value=2, confidence=5)
    assert checkin.author == world.member


def test_a_dated_history_is_checked_in_only_by_who_may_check_in(world):
    from datetime import UTC, datetime

    from django.core.exceptions import PermissionDenied

    from lodestar.okrs.models import CheckIn
    from lodestar.okrs.services import HistoryEntry, checkin_history_add

    objective = objective_create(acting=None, cycle=world.cycle, title="O", unit=world.sales)
    key_result = key_result_create(
        acting=None, objective=objective, title="K", owner=world.member, target=5
    )
    entry = HistoryEntry(
        value=2, confidence=5, note="", author=world.outsider, at=datetime(2026, 10, 5, tzinfo=UTC)
    )
    with pytest.raises(PermissionDenied):
        checkin_history_add(acting=world.outsider, key_result=key_result, entries=[entry])
    assert not CheckIn.objects.filter(key_result=key_result).exists()
