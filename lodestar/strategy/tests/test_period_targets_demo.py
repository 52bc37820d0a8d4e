"""The period-target rule on the demo organisation (docs/scoring.md, "A period's
target"): a check-in's months carry their plan, and the scorecard shows the target each
status was judged against."""

import re
from datetime import date

import time_machine
from django.urls import reverse

from lodestar.conftest import DEMO_TODAY
from lodestar.demo.build import DemoBuilder, add_months, planned_share
from lodestar.exchange.exporter import export_rows
from lodestar.exchange.layout import BY_NAME
from lodestar.okrs.models import KeyResult
from lodestar.okrs.services import checkin_create
from lodestar.org.models import Person
from lodestar.strategy.models import Measure, MeasureValue

OCT, NOV = date(2026, 10, 1), date(2026, 11, 1)


def targets(measure) -> dict:
    return dict(MeasureValue.objects.filter(measure=measure).values_list("period", "target"))


def test_the_demos_check_in_months_carry_the_plans_targets(demo_org, db):
    """Onboarding completion (measure 5) is moved by a key result's check-ins from
    October on; those months carry the straight-line plan, not September's target
    (the figures of a demo built on 22 Nov 2026)."""
    measure = Measure.objects.get(name="Onboarding completion")
    builder = DemoBuilder(DEMO_TODAY)
    scorecard = measure.objective.scorecard
    line = {
        month: builder.value(
            measure.baseline,
            measure.target,
            planned_share(month, builder.months[0], scorecard.period_end),
        )
        for month in (add_months(OCT, -1), OCT, NOV)
    }
    assert line == {date(2026, 9, 1): 67.64, OCT: 68.33, NOV: 69.03}
    key_result = KeyResult.objects.get(linked_measure=measure, cycle__state="active")
    with time_machine.travel(DEMO_TODAY):
        checkin_create(acting=key_result.owner, key_result=key_result, value=70, confidence=7)
    assert {month: targets(measure)[month] for month in line} == line


def test_the_scorecard_row_for_churn_shows_its_period_target_and_its_final_target(
    demo_org, db, signed_in
):
    """The status compares October's 7.41 % with October's plan, 7.00 % (a demo built on
    22 Nov 2026): the row says so, beside the final target and when it is due."""
    ceo = Person.objects.get(username="ceo")
    measure = Measure.objects.get(name="Monthly churn")
    page = signed_in(ceo).get(reverse("scorecard", args=[measure.objective.scorecard_id]))
    row = re.search(r"<tr[^>]*>(?:(?!</tr>).)*Monthly churn(?:(?!</tr>).)*</tr>", page.text, re.S)
    text = " ".join(re.sub(r"<[^>]+>", " ", row.group(0)).split())
    assert "7.41% 7.00% for Oct 2026 · 5.00% by Oct 2028 0.59 off target" in text


def test_the_map_and_the_export_say_the_target_churn_was_judged_against(demo_org, db, signed_in):
    """The map's title for churn's objective and the export's October row carry the same
    period target as the scorecard row (7.00 %, October's plan), beside the final one."""
    ceo = Person.objects.get(username="ceo")
    measure = Measure.objects.get(name="Monthly churn")
    svg = signed_in(ceo).get(reverse("strategy-map-svg", args=[measure.objective.scorecard_id]))
    titles = re.findall(r"<title>([^<]*)</title>", svg.content.decode())
    [title] = [t for t in titles if "Monthly churn" in t]
    assert "Monthly churn 7.41% · target 7.00% for Oct 2026 · 5.00% by Oct 2028" in title
    columns = [column.name for column in BY_NAME["measure_values"].columns]
    rows = [
        dict(zip(columns, row, strict=True)) for row in export_rows(acting=ceo)["measure_values"]
    ]
    # A planned period was judged against its plan; an unplanned one against the final target.
    assert all(row["period_target"] == row["target"] for row in rows if row["target"] is not None)
    assert all(row["period_target"] is not None for row in rows)
    assert {"period": OCT, "target": 7.0, "period_target": 7.0} in [
        {name: row[name] for name in ("period", "target", "period_target")} for row in rows
    ]
