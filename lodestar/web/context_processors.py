"""What every page's navigation needs: the cycles to switch between and the company
scorecard (two queries, whatever the size of the organisation)."""

from django.http import HttpRequest

from lodestar.okrs.models import Cycle
from lodestar.okrs.selectors import active_cycle
from lodestar.strategy.models import Scorecard


def navigation(request: HttpRequest) -> dict:
    if not request.user.is_authenticated:
        return {}
    cycles = list(Cycle.objects.all())
    return {
        "nav_cycles": cycles,
        "nav_active_cycle": active_cycle(among=cycles),
        "nav_company_scorecard": Scorecard.objects.filter(unit__parent__isnull=True)
        .order_by("-period_start")
        .first(),
    }
