"""The unified dashboard, the executive's page: is the strategy working (the company
scorecard, its perspectives and map), and is the work getting done (the active cycle's
OKRs the person may see), with the alerts that need attention."""

from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from lodestar.okrs.models import Cycle
from lodestar.okrs.selectors import active_cycle
from lodestar.org.permissions import Action, can
from lodestar.scores.words import pace_word
from lodestar.scoring.history import trend
from lodestar.strategy.selectors import company_scorecard
from lodestar.web.pagedata import strategy as selectors
from lodestar.web.views.alerts import alerts_context
from lodestar.web.views.display import (
    execution_status,
    map_pictures,
    okr_status,
    rollup_status,
    sparkline_svg,
)

TREND_WORDS = {"up": ("↑", "rising"), "down": ("↓", "falling"), "steady": ("→", "steady")}


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    scorecard = company_scorecard()
    if scorecard is not None and not can(request.user, Action.VIEW, scorecard):
        scorecard = None
    context = {"scorecard": scorecard}
    if scorecard is not None:
        context["nav_scorecard"] = scorecard  # the page's scorecard leads the navigation
        perspectives, objectives, links = selectors.map_contents(scorecard)
        # The months that are over: this one has no values yet, so its point would only
        # repeat the last one's and every trend would read steady.
        finished = timezone.localdate(now).replace(day=1) - timedelta(days=1)
        past = request.reader.kept(
            "score-history",
            f"{scorecard.pk}:{finished}",
            lambda: selectors.score_history(scorecard, finished),
        )
        tiles = []
        for perspective in perspectives:  # the top band first, as on the map
            series = past.perspectives.get(perspective.pk, [])
            direction = trend(series)
            tiles.append(
                {
                    "perspective": perspective,
                    "status": rollup_status(perspective.score),
                    "execution": execution_status(perspective.execution),
                    "sparkline": sparkline_svg(
                        series, f"{perspective.name}: score over 12 months", low=0, high=1
                    ),
                    "arrow": TREND_WORDS.get(direction),
                }
            )
        context |= {
            "status": rollup_status(scorecard.score),
            "execution_status": execution_status(scorecard.execution),
            "scorecard_sparkline": sparkline_svg(
                past.scorecard, "Strategy health over 12 months", low=0, high=1
            ),
            "tiles": tiles,
            "map": map_pictures(f"Strategy map of {scorecard}", perspectives, objectives, links),
        }
    # Between cycles the last closed one's results stand, labelled as closed.
    cycle = (
        active_cycle() or Cycle.objects.filter(state=Cycle.State.CLOSED).order_by("-end").first()
    )
    health = request.reader.kept(
        "okr-health",
        cycle.pk if cycle else 0,
        lambda: selectors.okr_health(request.user, cycle, now),
    )
    context |= {
        "cycle": cycle,
        "health": health,
        "average": okr_status(health.average_score),
        "paces": [(pace, pace_word(pace), count) for pace, count in health.paces.items()],
        **alerts_context(request, None),
    }
    return render(request, "web/dashboard.html", context)
