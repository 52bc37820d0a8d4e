"""One id per request, on the response (`X-Request-ID`) and on every log record written while
the request runs, so that the lines of one request can be found across servers.

A proxy or client may send its own `X-Request-ID`; a sensible one is kept, otherwise a new
one is made. The id lives in a contextvar, which a logging filter copies onto each record.
"""

import re
import uuid
from collections.abc import Callable
from contextvars import ContextVar

from django.http import HttpRequest, HttpResponse

HEADER = "X-Request-ID"
# Ids we accept from outside: short and plain, so they cannot forge log lines.
ACCEPTED_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")

current_request_id: ContextVar[str] = ContextVar("request_id", default="-")


def request_id_of(request: HttpRequest) -> str:
    sent = request.headers.get(HEADER, "")
    return sent if ACCEPTED_ID.fullmatch(sent) else uuid.uuid4().hex


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request_id_of(request)
        request.request_id = request_id
        token = current_request_id.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            current_request_id.reset(token)
        response[HEADER] = request_id
        return response


class RequestIdFilter:
    """Puts the current request's id (or "-" outside a request) on every record."""

    def filter(self, record) -> bool:
        record.request_id = current_request_id.get()
        return True
