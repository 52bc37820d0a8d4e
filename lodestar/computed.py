"""Whether a request computed a kept figure (`insights.kept`) instead of reading it: counted
per request and answered as `X-Lodestar-Computed: <count>`, so a load test (bench/monday.py)
tells the reads a write left cold from the warm ones, as users meet them, without a profiler.

A request that found a figure with nothing to serve while it is computed in the background
answers at once, saying so (`X-Lodestar-Queued: 1`): the bench counts those apart.

The count lives in a contextvar (one per request thread); no Django import, like request_log.
"""

from contextvars import ContextVar

HEADER = "X-Lodestar-Computed"
QUEUED_HEADER = "X-Lodestar-Queued"

computed_in_request: ContextVar[list[str] | None] = ContextVar("computed", default=None)


def computing(name: str) -> None:
    """Called by `kept()` before it computes `name`; nothing outside a request."""
    names = computed_in_request.get()
    if names is not None:
        names.append(name)


def in_request() -> bool:
    """Whether the caller serves a request (pages and the API), not a command or a job."""
    return computed_in_request.get() is not None


class ComputedMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = computed_in_request.set([])
        try:
            response = self.get_response(request)
            names = computed_in_request.get()
        finally:
            computed_in_request.reset(token)
        if names:
            response[HEADER] = str(len(names))
        return response
