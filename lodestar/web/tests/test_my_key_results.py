"""My key results: the signed-in person's key results in the active cycle, those needing
a check-in this week first, each with a check-in form prefilled and the script that
posts it in place."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lodestar.notify.owed import owed_by
from lodestar.okrs.services import checkin_create, key_result_create, objective_create

MY = reverse("my-key-results")
NOW = datetime(2026, 11, 16, 12, tzinfo=UTC)


@pytest.fixture
def mine(world):
    objective = objective_create(
        acting=None, cycle=world.cycle, title="Sell more", unit=world.sales
    )
    fresh = key_result_create(
        acting=None,
        objective=objective,
        title="A fresh one",
        owner=world.member,
        target=20,
        unit_label="%",
    )
    late = key_result_create(
        acting=None, objective=objective, title="B late one", owner=world.member, target=5
    )
    never = key_result_create(
        acting=None, objective=objective, title="C never", owner=world.member, target=5
    )
    key_result_create(
        acting=None, objective=objective, title="Not mine", owner=world.lead, target=5
    )
    checkin_create(
        acting=None,
        key_result=fresh,
        value=12.5,
        confidence=8,
        at=datetime(2026, 11, 14, tzinfo=UTC),
    )
    checkin_create(
        acting=None, key_result=late, value=2, confidence=5, at=datetime(2026, 11, 5, tzinfo=UTC)
    )
    return fresh, late, never


@time_machine.travel(NOW, tick=False)
def test_the_ones_needing_a_check_in_this_week_come_first(mine, signed_in, world):
    page = signed_in(world.member).get(MY)
    assert page.status_code == 200
    titles = [row.key_result.title for row, _ in page.context["rows"]]
    assert titles == ["B late one", "C never", "A fresh one"]
    assert [row.needs_checkin for row, _ in page.context["rows"]] == [True, True, False]
    html = page.content.decode()
    assert "Not mine" not in html
    assert "2 need a check-in (none in the last 7 days)" in html


@pytest.mark.parametrize(
    ("today", "owed", "words"),
    [
        # Tuesday 17 November, last check-in Thursday 12th: none since Monday, but one in
        # the last 7 days, the reminders' rule; the page says that rule, not "this week".
        (
            datetime(2026, 11, 17, 12, tzinfo=UTC),
            False,
            "Each has a check-in from the last 7 days.",
        ),
        (
            datetime(2026, 11, 20, 12, tzinfo=UTC),
            True,
            "1 needs a check-in (none in the last 7 days)",
        ),
    ],
)
def test_the_page_words_the_reminders_rule_for_a_check_in_owed(
    world, signed_in, today, owed, words
):
    objective = objective_create(acting=None, cycle=world.cycle, title="Sell", unit=world.sales)
    only = key_result_create(
        acting=None, objective=objective, title="Only one", owner=world.member, target=5
    )
    checkin_create(
        acting=None,
        key_result=only,
        value=2,
        confidence=5,
        at=datetime(2026, 11, 12, 9, tzinfo=UTC),
    )
    with time_machine.travel(today, tick=False):
        html = signed_in(world.member).get(MY).content.decode()
        reminded = owed_by(world.member).checkins
    assert words in html
    assert "this week" not in html.split("What I owe")[1]
    assert [row.key_result for row in reminded] == ([only] if owed else [])


@time_machine.travel(NOW, tick=False)
def test_each_row_has_a_prefilled_check_in_form_and_the_script(mine, signed_in, world):
    fresh = mine[0]
    html = signed_in(world.member).get(MY).content.decode()
    assert f'action="{reverse("checkin", args=[fresh.pk])}"' in html
    assert f'id="kr{fresh.pk}-value" value="12.5"' in html
    assert f'id="kr{fresh.pk}-confidence" value="8"' in html
    assert "12.5%" in html  # the current value with its unit
    assert 'name="next" value="/my/"' in html
    assert "web/checkin.js" in html


def test_a_posted_row_comes_back_here(mine, signed_in, world):
    late = mine[1]
    client = signed_in(world.member)
    answer = client.post(
        reverse("checkin", args=[late.pk]), {"value": 4, "confidence": 7, "next": MY}
    )
    assert answer.url == MY
    late.refresh_from_db()
    assert late.score == pytest.approx(0.8)


def test_without_an_active_cycle_the_last_closed_one_is_shown_as_closed(world, signed_in):
    from lodestar.okrs.services import cycle_close

    cycle_close(acting=None, cycle=world.cycle)
    assert "Showing Q4 2026 (closed)" in signed_in(world.member).get(MY).content.decode()


def test_its_query_count_does_not_grow_with_key_results(mine, signed_in, world):
    client = signed_in(world.member)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(MY).status_code == 200
        return len(captured)

    few = queries()
    for index in range(10):
        objective = objective_create(
            acting=None, cycle=world.cycle, title=f"O {index}", owner=world.member
        )
        key_result_create(
            acting=None, objective=objective, title=f"K {index}", owner=world.member, target=3
        )
    assert queries() == few
    assert few <= 14  # 10, and "What I owe": measures due, their values, grades owed


def test_what_i_owe_lists_measure_values_due_and_grades_owed_at_close(world, signed_in):
    from datetime import date

    from lodestar.okrs.services import cycle_close, cycle_create, objective_create
    from lodestar.strategy.services import (
        measure_create,
        measure_value_record,
        strategic_objective_create,
    )

    strategic = strategic_objective_create(
        acting=None,
        scorecard=world.scorecard,
        perspective=world.perspective("Customer"),
        name="Win deals",
    )
    monthly = measure_create(
        acting=None,
        objective=strategic,
        name="Win rate",
        baseline=20,
        target=40,
        owner=world.member,
    )
    recorded = measure_create(
        acting=None, objective=strategic, name="Pipeline", baseline=1, target=5, owner=world.member
    )
    today = timezone.localdate()
    last_month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    measure_value_record(acting=None, measure=recorded, period=last_month, actual=3)
    objective_create(acting=None, cycle=world.cycle, title="Ungraded", owner=world.member)
    cycle_close(acting=None, cycle=world.cycle)
    cycle_create(acting=None, name="Next", start=date(2030, 1, 1), end=date(2030, 3, 31))
    html = signed_in(world.member).get(MY).content.decode()
    owe = html[html.index("What I owe") :]
    assert f'href="/measures/{monthly.pk}/">Win rate</a> for {last_month:%B %Y}' in owe
    assert "Pipeline" not in owe  # its value for last month is in
    assert "Ungraded" in owe
    assert "every owner" not in html
    strategy_office = signed_in(world.strat).get(MY).content.decode()
    assert "Overdue measure values (every owner)" in strategy_office
    assert "Win rate</a> for" in strategy_office
