"""On the demo: the closed quarter's review reads its own figures, kept when it closed, not
the running quarter's (its own module: the demo is loaded once per module)."""

import pytest
from django.urls import reverse

from lodestar.okrs.models import Cycle
from lodestar.org.models import Person
from lodestar.reports.contribution import perspective_contributions
from lodestar.reports.models import ReviewSnapshot
from lodestar.strategy.models import Perspective
from lodestar.strategy.selectors import company_scorecard
from lodestar.web.pagedata.strategy import score_history


def close_enough(found: float | None, expected: float | None) -> bool:
    if found is None or expected is None:
        return found is expected
    return found == pytest.approx(expected)


def test_the_closed_quarter_of_the_demo_shows_its_own_figures_not_the_running_ones(
    demo_org, db, signed_in
):
    closed = Cycle.objects.get(state=Cycle.State.CLOSED)
    admin = Person.objects.get(username="admin")
    response = signed_in(admin).get(reverse("cycle-report", args=[closed.pk]))
    review = response.context["review"]
    page = response.content.decode()
    scorecard = company_scorecard(closed.end)
    assert review.scorecard == str(scorecard)
    # Execution: the closed quarter's own public objectives, by their grades (the rule of
    # the person summary's contributions), not the running quarter's stored execution.
    own = {
        found.perspective: found.execution
        for person in Person.objects.all()
        for found in perspective_contributions(person)
        if found.cycle == closed and found.scorecard == scorecard.name
    }
    running = dict(Perspective.objects.filter(scorecard=scorecard).values_list("pk", "execution"))
    shown = [line.execution.score for line in review.perspectives]
    for line in review.perspectives:
        assert close_enough(line.execution.score, own.get(line.name))
    assert shown != [running[line.perspective_id] for line in review.perspectives]
    # Performance and trend: as the scorecard stood at the quarter's end.
    history = score_history(scorecard, closed.end)
    for line in review.perspectives:
        assert close_enough(line.performance.score, history.perspectives[line.perspective_id][-1])
    # The gaps are the closed quarter's, not the running one's.
    running_cycle = Cycle.objects.get(state=Cycle.State.ACTIVE)
    assert review.gaps
    assert not [gap for gap in review.gaps if str(running_cycle) in gap.message]
    assert f"as closed on {ReviewSnapshot.objects.get(cycle=closed).closed_on:%-d %b %Y}" in page
    running_page = signed_in(admin).get(reverse("cycle-report", args=[running_cycle.pk]))
    assert "so far" in running_page.content.decode()
