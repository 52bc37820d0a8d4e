"""A database that does not answer is an outage, not a bug: pages and the API say 503 with
`Retry-After`, so people, load balancers and API clients wait and try again, where a 500
would say the request itself was wrong. Anything else unexpected is still a 500."""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.defaults import server_error

logger = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 30
UNAVAILABLE = 503
MESSAGE = "The database is not answering right now; try again in a minute."


# SQLite words some mistakes in our own SQL as operational errors too: those stay bugs.
NOT_AN_OUTAGE = ("no such ", "syntax error", "too many ", "near ")


def is_outage(error: BaseException | None) -> bool:
    """A connection that failed or was lost (a restart, a terminated session), or SQLite
    still busy after its timeout: each passes if the request is simply sent again."""
    if isinstance(error, InterfaceError):
        return True
    return isinstance(error, OperationalError) and not str(error).startswith(NOT_AN_OUTAGE)


def unavailable(request: HttpRequest, *, api: bool) -> HttpResponse:
    logger.warning("database unavailable in %s %s", request.method, request.path)
    if api:
        response = JsonResponse({"detail": MESSAGE, "errors": {}}, status=UNAVAILABLE)
    else:
        response = HttpResponse(
            f"<!doctype html><title>Unavailable</title><h1>Unavailable</h1><p>{MESSAGE}</p>",
            status=UNAVAILABLE,
        )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def page_error(request: HttpRequest) -> HttpResponse:
    """Django's handler500, called while the exception is being handled: whichever layer it
    came from (a view, a middleware reading the session), an outage answers 503."""
    if is_outage(sys.exc_info()[1]):
        return unavailable(request, api=request.path.startswith("/api/"))
    return server_error(request)
