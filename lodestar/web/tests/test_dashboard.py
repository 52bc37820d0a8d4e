"""The unified dashboard on the demo: strategy health and execution health on one page,
counting only the OKRs the person may see, with the alerts."""

import re
from datetime import UTC, date, datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from lodestar.insights.alert_groups import grouped_alerts_for
from lodestar.okrs.models import Cycle
from lodestar.okrs.selectors import visible_key_results, visible_objectives
from lodestar.org.changes import changed_everything
from lodestar.org.models import Person, Unit
from lodestar.scores.pace import key_result_pace
from lodestar.strategy.models import Perspective, StrategicObjective
from lodestar.web.pagedata.strategy import score_history
from lodestar.web.tests.strategy_data import company_scorecard, grow

PRIVATE_OKR = "Grow into a senior customer success manager"


@pytest.fixture(autouse=True)
def demo_day():
    with time_machine.travel(datetime(2026, 11, 22, 12, tzinfo=UTC), tick=False):
        yield


@pytest.fixture
def ceo(demo_org, db):
    return Person.objects.get(username="ceo")


@pytest.fixture
def board(demo_org, db):
    return Person.objects.get(username="board")  # a viewer: no private OKRs


def tile_figures(page: str) -> dict[str, str]:
    """Each tile's label with its figure."""
    pattern = r'<span class="label">([^<]+)</span>\s*<span class="figure">([^<]+)</span>'
    return {label.strip(): figure.strip() for label, figure in re.findall(pattern, page)}


def test_it_shows_the_stored_scores_of_the_company_scorecard(ceo, signed_in):
    response = signed_in(ceo).get(reverse("dashboard"))
    assert response.status_code == 200
    page = response.content.decode()
    scorecard = company_scorecard()
    figures = tile_figures(page)
    assert figures["Scorecard performance"] == f"{scorecard.score:.2f}"
    assert figures["Scorecard execution"] == f"{scorecard.execution:.2f}"
    for perspective in Perspective.objects.filter(scorecard=scorecard):
        assert figures[escape(perspective.name)] == f"{perspective.score:.2f}"


def test_each_perspective_tile_has_a_colour_word_a_trend_and_a_sparkline(ceo, signed_in):
    page = signed_in(ceo).get(reverse("dashboard")).content.decode()
    assert page.count('<span class="trend"') == 4
    assert page.count("score over 12 months</title>") == 4
    assert "off target" in page or "on target" in page or "warning" in page


def test_the_tiles_trends_are_read_on_the_finished_months(ceo, signed_in):
    """On 22 November the trend compares October with September: the quarter's check-ins
    lift three perspectives, net revenue retention's slip lowers Financial."""
    page = signed_in(ceo).get(reverse("dashboard")).content.decode()
    words = re.findall(r'<span class="trend" title="(\w+) since last month"', page)
    assert sorted(words) == ["falling", "rising", "rising", "rising"]


def test_the_strategy_map_links_every_objective(ceo, signed_in):
    page = signed_in(ceo).get(reverse("dashboard")).content.decode()
    assert 'class="map"' in page
    for pk in StrategicObjective.objects.filter(scorecard=company_scorecard()).values_list(
        "pk", flat=True
    ):
        assert f'href="{reverse("strategic-objective", args=[pk])}"' in page


def expected_paces(person: Person) -> dict[str, int]:
    cycle = Cycle.objects.get(state="active")
    counts = {"on track": 0, "behind": 0, "at risk": 0, "stale": 0}
    words = {"on_track": "on track", "at_risk": "at risk"}
    for key_result in visible_key_results(person).filter(cycle=cycle):
        pace = key_result_pace(key_result, cycle, timezone.now()).value
        counts[words.get(pace, pace)] += 1
    return counts


def test_okr_health_counts_only_the_key_results_the_person_may_see(ceo, board, signed_in):
    totals = {}
    for person in (ceo, board):
        figures = tile_figures(signed_in(person).get(reverse("dashboard")).content.decode())
        shown = {word: int(figures[f"Key results {word}"]) for word in expected_paces(person)}
        assert shown == expected_paces(person)
        totals[person.username] = sum(shown.values())
    # The CEO sees Lena's private objective (three key results) through her managers.
    assert totals["ceo"] == totals["board"] + 3


def test_the_average_objective_score_leaves_private_ones_out_for_those_who_may_not_see_them(
    ceo, board, signed_in
):
    for person in (ceo, board):
        scores = [
            s
            for s in visible_objectives(person)
            .filter(cycle__state="active")
            .values_list("score", flat=True)
            if s is not None
        ]
        figures = tile_figures(signed_in(person).get(reverse("dashboard")).content.decode())
        label = next(k for k in figures if k.startswith("Average objective score"))
        assert figures[label] == f"{sum(scores) / len(scores):.2f}"
        assert f"({len(scores)} objectives)" in label


def test_it_lists_the_first_alert_groups_with_links_and_counts_the_rest(ceo, signed_in):
    page = signed_in(ceo).get(reverse("dashboard")).content.decode()
    groups = grouped_alerts_for(ceo, unit=None, now=timezone.now()).groups
    assert len(groups) > 10
    for group in groups[:10]:
        assert escape(group.message) in page
        for member in group.members:
            assert escape(member.message) in page and f'href="{member.url}"' in page
    assert page.index(escape(groups[0].message)) < page.index(escape(groups[9].message))
    assert escape(groups[10].message) not in page
    rest = sum(group.count for group in groups[10:])
    assert f"{rest} more alert{'s' if rest != 1 else ''}</a>" in page


def test_a_private_objective_never_reaches_a_viewer_dashboard(board, signed_in):
    page = signed_in(board).get(reverse("dashboard")).content.decode()
    assert PRIVATE_OKR not in page


def test_dashboard_query_count_does_not_grow_with_the_data(ceo, signed_in):
    client = signed_in(ceo)
    client.get(reverse("dashboard"))

    def count() -> tuple[int, int]:
        """(queries when the alerts are computed, queries when they are kept)"""
        changed_everything()  # as a service naming nothing does: the kept alerts are stale
        found = []
        for _ in range(2):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(reverse("dashboard")).status_code == 200
            found.append(len(queries))
        return found[0], found[1]

    before = count()
    objective = StrategicObjective.objects.get(code="C1")
    grow(
        objective=objective,
        unit=Unit.objects.get(name="Customer Success"),
        measure=objective.measures.first(),
    )
    after = count()
    # kept alerts: what every reader gets most of the time (one query of it the reader's
    # own snoozes, read after the shared kept row)
    assert after[1] == before[1] <= 21
    # computed: the same, plus at most the first writes of three new kept rows, the
    # alerts', the OKR health's and the score history's (the growth added private
    # objectives the CEO sees, which is another group of readers, and every kept key names
    # the group), each with the clearing of rows not refreshed today. A stale figure's
    # computation claims its row first (one UPDATE: one computation at a time) and loads
    # its subject by id (a worker computes it from its name and ids alone).
    assert before[0] <= after[0] <= before[0] + 6 <= 56


def test_the_trend_ends_at_the_stored_scores(demo_org, db):
    """The sparklines are rebuilt from measure values by the roll-up's rules, so this
    month's point is exactly the stored score."""
    scorecard = company_scorecard()
    past = score_history(scorecard, date(2026, 11, 22))
    assert len(past.months) == 12 and past.months[-1] == date(2026, 11, 1)
    assert past.scorecard[-1] == pytest.approx(scorecard.score)
    for perspective in Perspective.objects.filter(scorecard=scorecard):
        assert past.perspectives[perspective.pk][-1] == pytest.approx(perspective.score)
    for objective in StrategicObjective.objects.filter(scorecard=scorecard):
        assert past.objectives[objective.pk][-1] == pytest.approx(objective.performance)
    # A year ago the demo's measures had barely left their baselines.
    assert past.scorecard[0] < past.scorecard[-1]
