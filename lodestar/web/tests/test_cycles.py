"""Cycles: the list with their state, and a cycle's page as its review: score, kind,
success by kind (aspirational at 0.7, committed at 1.0), final grade and retrospective."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lodestar.okrs.services import (
    checkin_create,
    cycle_close,
    cycle_create,
    key_result_create,
    objective_create,
    objective_grade,
)


@pytest.fixture
def closed(world):
    """Q3 2026: two objectives at 0.8, one aspirational (success), one committed (missed)."""
    cycle = cycle_create(acting=None, name="Q3 2026", start=date(2026, 7, 1), end=date(2026, 9, 30))
    for title, kind in (("Stretch", "aspirational"), ("Promise", "committed")):
        objective = objective_create(
            acting=None, cycle=cycle, title=title, unit=world.sales, kind=kind
        )
        key_result = key_result_create(
            acting=None, objective=objective, title=f"{title} KR", owner=world.member, target=10
        )
        checkin_create(acting=None, key_result=key_result, value=8, confidence=6)
    objective_create(
        acting=None, cycle=cycle, title="Hidden", owner=world.lead, visibility="private"
    )
    cycle_close(acting=None, cycle=cycle)
    promise = cycle.okr_objectives.get(title="Promise")
    objective_grade(
        acting=None,
        objective=promise,
        final_grade=promise.final_grade,
        retrospective="Hiring came late.",
    )
    return cycle


def test_the_list_shows_every_cycle_with_its_state(closed, signed_in, world):
    page = signed_in(world.viewer).get(reverse("cycle-list"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Q3 2026" in html and "Closed" in html
    assert "Q4 2026" in html and "Active" in html
    assert reverse("cycle", args=[closed.pk]) in html


def test_a_closed_cycle_reads_as_a_review(closed, signed_in, world):
    page = signed_in(world.member).get(reverse("cycle", args=[closed.pk]))
    assert page.status_code == 200
    rows = {row.objective.title: row for row in page.context["review"].rows}
    assert rows["Stretch"].succeeded is True
    assert rows["Promise"].succeeded is False
    html = page.content.decode()
    assert "Cycle review" in html and "Hiring came late." in html
    assert "succeeded" in html and "missed" in html
    assert "0.80" in html  # the final grade kept from the score
    assert "Hidden" not in html


def test_a_cycle_in_planning_lists_its_objectives_without_grades_or_forms(world, signed_in):
    planned = cycle_create(
        acting=None, name="Q1 2027", start=date(2027, 1, 1), end=date(2027, 3, 31)
    )
    objective_create(acting=None, cycle=planned, title="Later", unit=world.sales)
    page = signed_in(world.lead).get(reverse("cycle", args=[planned.pk]))
    html = page.content.decode()
    assert "Later" in html and "Final grade" not in html and "planned" in html
    assert "grade-form" not in html


def test_an_active_cycle_is_reviewed_on_its_scores_so_far(world, signed_in):
    objective_create(acting=None, cycle=world.cycle, title="Now", unit=world.sales)
    page = signed_in(world.member).get(reverse("cycle", args=[world.cycle.pk]))
    html = page.content.decode()
    assert "Now" in html and "Final grade" in html and "not scored" in html


def test_an_unknown_cycle_is_not_found(world, signed_in):
    assert signed_in(world.member).get(reverse("cycle", args=[999])).status_code == 404


def test_their_query_counts_do_not_grow_with_objectives(closed, signed_in, world):
    client = signed_in(world.member)

    def queries(name, *args) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse(name, args=args)).status_code == 200
        return len(captured)

    objective_create(acting=None, cycle=world.cycle, title="First", unit=world.sales)
    few = queries("cycle", world.cycle.pk), queries("cycle-list")
    for index in range(6):
        objective_create(acting=None, cycle=world.cycle, title=f"More {index}", unit=world.sales)
        cycle_create(
            acting=None,
            name=f"Old {index}",
            start=date(2020 + index, 1, 1),
            end=date(2020 + index, 3, 31),
        )
    assert (queries("cycle", world.cycle.pk), queries("cycle-list")) == few
    # 10 (the page's rows read apart from the summary's figures), 1 for the key results
    # that tell each row's pace, and 1 for the history
    assert max(few) <= 12


def grade_url(objective) -> str:
    return reverse("objective-grade", args=[objective.pk])


def objective_of(cycle, title: str):
    return cycle.okr_objectives.get(title=title)


def test_the_review_sums_up_success_grades_and_kinds(closed, signed_in, world):
    page = signed_in(world.member).get(reverse("cycle", args=[closed.pk]))
    review = page.context["review"]
    assert (review.succeeded, review.judged) == (1, 2)
    assert review.average_grade == pytest.approx(0.8)
    tallies = {t.kind: (t.succeeded, t.objectives) for t in review.by_kind}
    assert tallies == {"Aspirational": (1, 1), "Committed": (0, 1)}
    html = page.content.decode()
    assert "Average final grade" in html and "1 of 2" in html


def test_only_those_who_may_change_an_objective_get_its_grading_form(closed, signed_in, world):
    stretch = objective_of(closed, "Stretch")
    lead_page = signed_in(world.lead).get(reverse("cycle", args=[closed.pk])).content.decode()
    assert f'action="{grade_url(stretch)}"' in lead_page
    objective_page = signed_in(world.lead).get(reverse("objective", args=[stretch.pk]))
    assert f"{reverse('cycle', args=[closed.pk])}#objective-{stretch.pk}" in (
        objective_page.content.decode()
    )
    for persona in (world.viewer, world.outsider):
        html = signed_in(persona).get(reverse("cycle", args=[closed.pk])).content.decode()
        assert "grade-form" not in html


def test_a_grade_posted_to_a_closed_cycle_is_saved_and_shown(closed, signed_in, world):
    client = signed_in(world.lead)
    promise = objective_of(closed, "Promise")
    answer = client.post(
        grade_url(promise),
        {
            "final_grade": "0.95",
            "grade_reason": "The last deal signed a day late.",
            "retrospective": "Nearly all of it.",
        },
    )
    assert answer.status_code == 302
    assert answer["Location"].endswith(f"#objective-{promise.pk}")
    promise.refresh_from_db()
    assert (promise.final_grade, promise.retrospective) == (0.95, "Nearly all of it.")
    html = client.get(reverse("cycle", args=[closed.pk])).content.decode()
    assert "0.95" in html and "Nearly all of it." in html


def test_a_grade_from_someone_who_may_not_change_the_objective_is_forbidden(
    closed, signed_in, world
):
    stretch = objective_of(closed, "Stretch")
    for persona in (world.viewer, world.outsider):
        answer = signed_in(persona).post(
            grade_url(stretch), {"final_grade": "0", "retrospective": ""}
        )
        assert answer.status_code == 403
    stretch.refresh_from_db()
    assert stretch.final_grade == pytest.approx(0.8)


def test_a_private_objective_is_not_found_for_grading_by_those_who_may_not_see_it(
    closed, signed_in, world
):
    hidden = objective_of(closed, "Hidden")
    answer = signed_in(world.outsider).post(grade_url(hidden), {"final_grade": "1"})
    assert answer.status_code == 404


@pytest.mark.parametrize("grade", ["1.5", "-0.2", "nan", "many"])
def test_a_bad_grade_is_refused_beside_its_field_and_nothing_is_written(
    closed, signed_in, world, grade
):
    stretch = objective_of(closed, "Stretch")
    answer = signed_in(world.lead).post(
        grade_url(stretch), {"final_grade": grade, "retrospective": "Should not be kept"}
    )
    assert answer.status_code == 400
    html = answer.content.decode()
    assert f'id="grade-{stretch.pk}-final_grade-errors"' in html
    assert f'id="grade-{stretch.pk}-final_grade"' in html and "aria-invalid" in html
    stretch.refresh_from_db()
    assert stretch.final_grade == pytest.approx(0.8) and stretch.retrospective == ""


def test_grading_in_planning_is_refused_beside_the_grade(world, signed_in):
    planned = cycle_create(
        acting=None, name="Q1 2027", start=date(2027, 1, 1), end=date(2027, 3, 31)
    )
    later = objective_create(acting=None, cycle=planned, title="Later", unit=world.sales)
    answer = signed_in(world.lead).post(grade_url(later), {"final_grade": "0.5"})
    assert answer.status_code == 400
    assert "still in planning" in answer.content.decode()
    later.refresh_from_db()
    assert later.final_grade is None


def test_the_cycle_buttons_show_for_those_who_may_change_the_cycle(world, signed_in):
    planned = cycle_create(
        acting=None, name="Q1 2027", start=date(2027, 1, 1), end=date(2027, 3, 31)
    )
    strat = signed_in(world.strat)
    html = strat.get(reverse("cycle", args=[planned.pk])).content.decode()
    assert reverse("cycle-activate", args=[planned.pk]) in html
    assert reverse("cycle-edit", args=[planned.pk]) in html
    html = strat.get(reverse("cycle", args=[world.cycle.pk])).content.decode()
    assert reverse("cycle-close", args=[world.cycle.pk]) in html
    assert reverse("cycle-activate", args=[world.cycle.pk]) not in html
    html = signed_in(world.lead).get(reverse("cycle", args=[world.cycle.pk])).content.decode()
    assert reverse("cycle-close", args=[world.cycle.pk]) not in html
    assert reverse("cycle-edit", args=[world.cycle.pk]) not in html


def test_the_review_query_count_does_not_grow_with_graded_and_personal_objectives(
    closed, signed_in, world
):
    client = signed_in(world.lead)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("cycle", args=[world.cycle.pk])).status_code == 200
        return len(captured)

    objective_create(acting=None, cycle=world.cycle, title="First", unit=world.sales)
    few = queries()
    for index in range(5):
        objective_create(acting=None, cycle=world.cycle, title=f"Team {index}", unit=world.sales)
        objective_create(acting=None, cycle=world.cycle, title=f"Mine {index}", owner=world.member)
        objective_create(
            acting=None,
            cycle=world.cycle,
            title=f"Quiet {index}",
            owner=world.member,
            visibility="private",
        )
    page = client.get(reverse("cycle", args=[world.cycle.pk]))
    assert page.content.decode().count("grade-form") == 16
    assert queries() == few
    # 11 (the page's rows apart from the summary), 1 for the rows' key results (their
    # pace), 1 for the history
    assert few <= 13


def test_a_long_review_is_paged_with_the_summary_over_every_objective(world, signed_in):
    from lodestar.web.views.okrs import REVIEW_ROWS

    for index in range(REVIEW_ROWS + 5):
        objective_create(acting=None, cycle=world.cycle, title=f"O {index:03}", unit=world.sales)
    client = signed_in(world.admin)
    first = client.get(reverse("cycle", args=[world.cycle.pk]))
    second = client.get(reverse("cycle", args=[world.cycle.pk]), {"page": 2})
    assert len(first.context["rows"]) == REVIEW_ROWS and len(second.context["rows"]) == 5
    assert first.context["objective_count"] == second.context["objective_count"] == 105
    assert "O 104" in second.content.decode() and "O 104" not in first.content.decode()
    assert 'href="?page=2">Next</a>' in first.content.decode()
