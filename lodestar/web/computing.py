"""A page whose figures have nothing kept yet, on an installation that computes them in the
background (`insights.kept.FiguresComputing`): answered at once (202) with a page that says
so and refreshes itself (a meta refresh: no script, nothing the Content-Security-Policy
forbids), never by computing the whole company inside the request."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from lodestar.computed import QUEUED_HEADER
from lodestar.insights.kept import FiguresComputing

REFRESH_SECONDS = 5
ACCEPTED = 202


def computing_page(request: HttpRequest) -> HttpResponse:
    response = render(
        request, "web/computing.html", {"refresh_seconds": REFRESH_SECONDS}, status=ACCEPTED
    )
    response[QUEUED_HEADER] = "1"
    response["Retry-After"] = str(REFRESH_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class FiguresComputingMiddleware:
    """Turns a view's `FiguresComputing` into the page that waits for them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception):
        if isinstance(exception, FiguresComputing):
            return computing_page(request)
        return None
