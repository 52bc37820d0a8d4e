"""The cycle a page shows: the one place every OKR page asks, so that a cycle chosen on
one page stays chosen on the next until the reader changes it.

`?cycle=<id>` chooses (kept in the session); an id that names no cycle is ignored, as
if absent. Without a choice, the active cycle, else the last closed
one (between cycles its results stand), else the latest."""

from django.http import HttpRequest

from lodestar.okrs.models import Cycle
from lodestar.okrs.selectors import active_cycle
from lodestar.validation import parse_id

SESSION_KEY = "lodestar_cycle"


def request_cycles(request: HttpRequest) -> list[Cycle]:
    """Every cycle, read once a request: the navigation lists them, and the page finds
    its cycle among them instead of asking the database again."""
    if not hasattr(request, "lodestar_cycles"):
        request.lodestar_cycles = list(Cycle.objects.all())
    return request.lodestar_cycles


def default_cycle(cycles: list[Cycle]) -> Cycle | None:
    closed = [cycle for cycle in cycles if cycle.state == Cycle.State.CLOSED]
    last_closed = max(closed, key=lambda cycle: cycle.end, default=None)
    return active_cycle(among=cycles) or last_closed or next(iter(cycles), None)


def chosen_cycle(request: HttpRequest) -> Cycle | None:
    """The cycle the request's page shows (decided once a request, no query beyond the
    navigation's list of cycles and, when the choice changes, the session's save)."""
    if not hasattr(request, "lodestar_chosen_cycle"):
        request.lodestar_chosen_cycle = decide(request)
    return request.lodestar_chosen_cycle


def decide(request: HttpRequest) -> Cycle | None:
    cycles = request_cycles(request)
    # Every reader sees every cycle (`org.rules.may_cycle`): no one's choice is refused.
    seen = {cycle.pk: cycle for cycle in cycles}
    asked = seen.get(parse_id(request.GET.get("cycle")))
    if asked is not None:
        if request.session.get(SESSION_KEY) != asked.pk:
            request.session[SESSION_KEY] = asked.pk
        return asked
    kept = seen.get(parse_id(request.session.get(SESSION_KEY)))
    return kept or default_cycle(list(seen.values()))
