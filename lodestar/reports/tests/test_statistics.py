"""The review's statistics per unit across quarters and the person summary's contribution
to each perspective, worked by hand, on the page and in the PDF read back; a private
objective changes none of these figures, for any reader."""

import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from lodestar.okrs.services import (
    checkin_create,
    cycle_close,
    key_result_create,
    objective_create,
    objective_grade,
)
from lodestar.reports.contribution import perspective_contributions
from lodestar.reports.review import weeks_of
from lodestar.reports.tests.test_reports import pdf_text
from lodestar.strategy.services import strategic_objective_create


def graded(world, title, owner, grade, serves=(), **fields):
    objective = objective_create(
        acting=None,
        cycle=world.cycle,
        title=title,
        owner=owner,
        contributes_to=list(serves),
        **{"unit": world.sales, **fields},
    )
    objective.grade = grade
    return objective


@pytest.fixture
def closed_quarter(world):
    """Customer holds "Win deals" (weight 1) and "Keep customers" (weight 3).
    The member's public objective (0.8) serves Win deals; the lead's (0.4) serves both;
    the member's private one (1.0) serves Win deals too, and must count nowhere.

    Win deals: (0.8 + 0.4) / 2 = 0.6, of which the member's 0.4; Keep customers: 0.4,
    none of it the member's. Customer: (0.6·1 + 0.4·3) / 4 = 0.45, the member's part
    (0.4·1 + 0·3) / 4 = 0.10, a share of 22 %; the lead's part 0.35."""
    customer = world.perspective("Customer")
    win = strategic_objective_create(
        acting=None, scorecard=world.scorecard, perspective=customer, name="Win deals", weight=1
    )
    keep = strategic_objective_create(
        acting=None,
        scorecard=world.scorecard,
        perspective=customer,
        name="Keep customers",
        weight=3,
    )
    objectives = [
        graded(world, "Member's deals", world.member, 0.8, [win]),
        graded(world, "Lead's retention", world.lead, 0.4, [win, keep]),
        graded(world, "Support's queue", world.lead, 1.0, unit=world.support),
        graded(world, "Quiet bet", world.member, 1.0, [win], unit=None, visibility="private"),
    ]
    deals = key_result_create(
        acting=None, objective=objectives[0], title="Close deals", owner=world.member, target=10
    )
    checkin_create(acting=None, key_result=deals, value=4, confidence=6)  # one week of many
    cycle_close(acting=None, cycle=world.cycle, reason="Test quarter.")
    for objective in objectives:
        objective_grade(
            acting=None,
            objective=objective,
            final_grade=objective.grade,
            retrospective="Done.",
            grade_reason="Graded by hand.",
        )
    return objectives


def test_the_contribution_to_a_perspective_is_the_persons_part_of_its_execution(
    world, closed_quarter
):
    [member] = perspective_contributions(world.member)
    assert (member.perspective, member.objectives) == ("Customer", 1)  # the private one: no
    assert member.execution == pytest.approx(0.45)
    assert member.part == pytest.approx(0.10)
    assert member.share == pytest.approx(0.10 / 0.45)
    [lead] = perspective_contributions(world.lead)
    assert lead.part == pytest.approx(0.35)
    assert member.part + lead.part == pytest.approx(member.execution)  # the parts add up
    assert perspective_contributions(world.viewer) == []


@pytest.mark.parametrize("reader", ["admin", "lead", "outsider"])
def test_the_summary_page_and_pdf_show_the_same_contribution_to_every_reader(
    world, closed_quarter, signed_in, reader
):
    client = signed_in(getattr(world, reader))
    page = client.get(reverse("person-report", args=[world.member.pk])).content.decode()
    text = pdf_text(client.get(reverse("person-report-pdf", args=[world.member.pk])).content)
    row = "<td>Q4 2026</td><td>Customer (Sales 2026)</td><td>1</td><td>0.45</td><td>0.10</td>"
    assert row.replace("Sales 2026", world.scorecard.name) in page
    assert "<td>22 %</td>" in page
    pdf_row = f"Q4 2026 Customer ({world.scorecard.name}) 1 0.45 0.10 22 %"
    assert pdf_row in text
    if reader == "outsider":  # not among those who may see the private objective
        assert "Quiet bet" not in page and "Quiet bet" not in text


def quarter_rows(text: str) -> dict[str, list[str]]:
    """The review's across-quarters table, row label → its figures."""
    rows = re.findall(r"<tr class=\"(?:total|unit)\">(.*?)</tr>", text, re.S)
    cells = [re.findall(r"<td>(.*?)</td>", row) for row in rows]
    return {row[0]: row[1:] for row in cells}


@pytest.mark.parametrize("reader", ["admin", "outsider"])
def test_the_review_gives_success_rate_grade_and_discipline_per_unit(
    world, closed_quarter, signed_in, reader
):
    client = signed_in(getattr(world, reader))
    page = client.get(reverse("cycle-report", args=[world.cycle.pk])).content.decode()
    rows = quarter_rows(page)
    # Public objectives only: Sales 0.8 (succeeded) and 0.4 (not), Support 1.0; one key
    # result, checked in in one of the cycle's weeks so far.
    weeks = len(weeks_of(world.cycle, timezone.localdate()))
    one_week = f"{round(100 / weeks)} %"
    assert rows["Q4 2026"] == ["3", "67 %", "0.73", one_week]
    assert rows["Q4 2026 · Sales"] == ["2", "50 %", "0.60", one_week]
    assert rows["Q4 2026 · Support"] == ["1", "100 %", "1.00", "—"]
    assert "Q4 2026 · Personal" not in rows  # the private personal objective
    text = pdf_text(client.get(reverse("cycle-report-pdf", args=[world.cycle.pk])).content)
    for label, figures in rows.items():
        assert " ".join([label, *figures]) in text


@pytest.fixture
def small_review(monkeypatch):
    """Room for one objective and one unit a quarter, from before the quarter closes (its
    statistics are kept then)."""
    from lodestar.reports import review

    monkeypatch.setattr(review, "OBJECTIVES_LISTED", 1)
    monkeypatch.setattr(review, "UNITS_PER_QUARTER", 1)


def test_a_large_review_lists_whole_units_up_to_its_limit_and_counts_the_rest(
    world, small_review, closed_quarter, signed_in
):
    """With room for one objective, one unit is listed whole (the admin sees Personal's
    private one, Sales' two, Support's one) and the others are counted; across quarters
    the unit with the most objectives (Sales) is named, the other counted."""
    page = signed_in(world.admin).get(reverse("cycle-report", args=[world.cycle.pk]))
    text = html.unescape(page.content.decode())
    results = text[text.index("<h2>OKR results</h2>") : text.index("<h2>Carried over</h2>")]
    sizes = {"Personal": 1, "Sales": 2, "Support": 1}
    [listed] = re.findall(r"<h3>(.*?)</h3>", results)
    left = 4 - sizes[listed]
    assert f"{left} more objective{'s' if left > 1 else ''} in 2 more units" in results
    rows = quarter_rows(text)
    assert "Q4 2026 · Sales" in rows and "Q4 2026 · Support" not in rows
    assert "Q4 2026 · 1 more unit with fewer objectives" in text
