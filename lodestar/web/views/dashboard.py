"""The unified dashboard, the executive's page: is the strategy working (the company
scorecard, its perspectives and map), and is the work getting done (the OKRs of the
chosen cycle the person may see), with the alerts that need attention."""

from datetime import date, timedelta

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from lodestar.insights import kept
from lodestar.insights.alerts import alerts_for
from lodestar.insights.kept import Scope
from lodestar.okrs.models import Cycle
from lodestar.org.models import Person
from lodestar.org.permissions import Action, can
from lodestar.org.reader import Reader
from lodestar.scores.words import pace_word
from lodestar.scoring.history import trend
from lodestar.strategy.models import Scorecard
from lodestar.strategy.selectors import company_scorecard
from lodestar.web.cycles import chosen_cycle, default_cycle
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


def score_history_figure(person: Person, scorecard_id: int, finished: str):
    """Kept by month (`Reader.kept`): it covers the months already over, which only a
    change to them moves, not the check-ins of this one."""
    scorecard = Scorecard.objects.get(pk=scorecard_id)
    return selectors.score_history(scorecard, date.fromisoformat(finished))


def okr_health_figure(person: Person, cycle_id: int):
    cycle = Cycle.objects.filter(pk=cycle_id).first()
    return selectors.okr_health(person, cycle, timezone.now())


def past_scores(reader: Reader, scorecard: Scorecard, now):
    # The months that are over: this one has no values yet, so its point would only
    # repeat the last one's and every trend would read steady.
    finished = timezone.localdate(now).replace(day=1) - timedelta(days=1)
    return reader.kept(
        score_history_figure, scorecard.pk, finished.isoformat(), scope=Scope(months=True)
    )


def okr_health_of(reader: Reader, cycle: Cycle | None):
    cycle_id = cycle.pk if cycle else 0
    return reader.kept(okr_health_figure, cycle_id, scope=Scope(cycle=cycle_id))


def viewed_scorecard(person: Person) -> Scorecard | None:
    scorecard = company_scorecard()
    return scorecard if scorecard is not None and can(person, Action.VIEW, scorecard) else None


@kept.first_read
def dashboard_figures(person: Person) -> None:
    """What the dashboard reads for the person, warmed after a run that changed everything."""
    reader = Reader.for_person(person)
    scorecard = viewed_scorecard(person)
    if scorecard is not None:
        past_scores(reader, scorecard, timezone.now())
    okr_health_of(reader, default_cycle(list(Cycle.objects.all())))
    alerts_for(person)


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    scorecard = viewed_scorecard(request.user)
    cycle = chosen_cycle(request)
    # Every figure is asked for before any is missed: one visit queues them all.
    past, health, alerts = kept.together(
        lambda: past_scores(request.reader, scorecard, now) if scorecard else None,
        lambda: okr_health_of(request.reader, cycle),
        lambda: alerts_context(request, None),
    )
    context = {"scorecard": scorecard}
    if scorecard is not None:
        context["nav_scorecard"] = scorecard  # the page's scorecard leads the navigation
        perspectives, objectives, links = selectors.map_contents(scorecard)
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
    context |= {
        "cycle": cycle,
        "health": health,
        "average": okr_status(health.average_score),
        "paces": [(pace, pace_word(pace), count) for pace, count in health.paces.items()],
        **alerts,
    }
    return render(request, "web/dashboard.html", context)
