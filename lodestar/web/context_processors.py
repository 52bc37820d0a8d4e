"""What every page's navigation needs: the cycles to switch between and the company
scorecard (two queries, whatever the size of the organisation; the second only when the
page has not got the scorecard itself, e.g. the dashboard)."""

import functools

from django.http import HttpRequest

from lodestar.okrs.models import Cycle
from lodestar.okrs.selectors import active_cycle
from lodestar.strategy.models import Scorecard


def request_cycles(request: HttpRequest) -> list[Cycle]:
    """Every cycle, read once a request: the navigation lists them, and a page asking for
    the active cycle finds it among them instead of asking the database again."""
    if not hasattr(request, "lodestar_cycles"):
        request.lodestar_cycles = list(Cycle.objects.all())
    return request.lodestar_cycles


def navigation(request: HttpRequest) -> dict:
    if not request.user.is_authenticated:
        return {}
    cycles = request_cycles(request)
    return {
        "nav_cycles": cycles,
        "nav_active_cycle": active_cycle(among=cycles),
        # A template calls it when it reads it, once (cached); a view may pass its own.
        "nav_company_scorecard": functools.cache(
            lambda: (
                Scorecard.objects.filter(unit__parent__isnull=True)
                .order_by("-period_start")
                .first()
            )
        ),
    }
