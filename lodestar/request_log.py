"""One id per request, on the response (`X-Request-ID`) and on every log record written while
the request runs, so that the lines of one request can be found across servers.

A proxy or client may send its own `X-Request-ID`; a sensible one is kept, otherwise a new
one is made. The id lives in a contextvar, which a logging filter copies onto each record.
No Django import at module level: settings.py and the gunicorn config read JSON_FORMATTER.
"""

import re
import uuid
from contextvars import ContextVar

HEADER = "X-Request-ID"
# Ids we accept from outside: short and plain, so they cannot forge log lines.
ACCEPTED_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
# gunicorn's access log record carries the response's headers as atoms, not our contextvar.
ACCESS_LOG_ATOM = "{x-request-id}o"

# LOG_FORMAT=json: one object a line with time, level, logger, message and request_id.
JSON_FORMATTER = {
    "()": "pythonjsonlogger.json.JsonFormatter",
    "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
    "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
}

current_request_id: ContextVar[str] = ContextVar("request_id", default="-")


def request_id_of(request) -> str:
    sent = request.headers.get(HEADER, "")
    return sent if ACCEPTED_ID.fullmatch(sent) else uuid.uuid4().hex


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
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
        if record.request_id == "-":
            record.request_id = self.request_id_after_the_response(record)
        return True

    @staticmethod
    def request_id_after_the_response(record) -> str:
        # Django logs a 4xx/5xx answer (django.request) and gunicorn its access line once the
        # middleware has finished: the request, or the response's header, still holds the id.
        request = getattr(record, "request", None)
        if hasattr(request, "request_id"):
            return request.request_id
        if isinstance(record.args, dict):
            return record.args.get(ACCESS_LOG_ATOM, "-")
        return "-"
