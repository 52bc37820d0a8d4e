"""One error shape for the whole API: {"detail": "...", "errors": {field: [messages]}}.

Domain refusals (django ValidationError) are 400, malformed input caught by the schemas
422, a write that conflicts with what is stored 409, missing login 401, a refused
action 403, an unknown (or invisible) object 404, an update whose If-Match names a
version since replaced 412 (the detail says who changed it and when), and anything
unexpected 500 (logged). An insight whose figures are being computed for the first time in
the background (`insights.kept.FiguresComputing`) answers 202 in the same shape, with
`Retry-After`: ask again then.
"""

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as SchemaError

from lodestar.computed import QUEUED_HEADER
from lodestar.insights.kept import FiguresComputing
from lodestar.outage import is_outage, unavailable
from lodestar.validation import ConflictError

# Codes of refusals that are about the stored state, not about the input itself.
CONFLICT_CODES = {"unique", "unique_together", "closed"}
# Where ninja puts a field in a schema error's location: ("body", "payload", "name").
LOCATION_PREFIXES = {"body", "query", "path", "payload", "filters", "pagination", "form"}
INTERNAL_ERROR = 500
ACCEPTED = 202
COMPUTING_RETRY_SECONDS = 5
COMPUTING = "The figures are being computed; ask again in a few seconds."

logger = logging.getLogger(__name__)


def error_body(detail: str, errors: dict[str, list[str]] | None = None) -> dict:
    return {"detail": detail, "errors": errors or {}}


def field_errors(error: ValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {field: list(messages) for field, messages in error.message_dict.items()}
    return {"__all__": list(error.messages)}


def is_conflict(error: ValidationError) -> bool:
    if not hasattr(error, "error_dict"):
        return False
    codes = {e.code for errors in error.error_dict.values() for e in errors}
    return bool(codes) and codes <= CONFLICT_CODES


def schema_field(location: tuple) -> str:
    parts = [str(part) for part in location]
    while parts and parts[0] in LOCATION_PREFIXES:
        parts.pop(0)
    return ".".join(parts) or "__all__"


def install_error_handlers(api: NinjaAPI) -> None:
    def respond(request: HttpRequest, status: int, body: dict) -> HttpResponse:
        return api.create_response(request, body, status=status)

    @api.exception_handler(ValidationError)
    def domain_error(request, error: ValidationError):
        if is_conflict(error):
            return respond(
                request, 409, error_body("Conflicts with stored data.", field_errors(error))
            )
        return respond(request, 400, error_body("Invalid input.", field_errors(error)))

    @api.exception_handler(ConflictError)
    def stale(request, error: ConflictError):
        return respond(request, 412, error_body(error.messages[0]))

    @api.exception_handler(SchemaError)
    def schema_error(request, error: SchemaError):
        errors: dict[str, list[str]] = {}
        for item in error.errors:
            errors.setdefault(schema_field(tuple(item.get("loc", ()))), []).append(item["msg"])
        return respond(request, 422, error_body("Invalid input.", errors))

    @api.exception_handler(IntegrityError)
    def integrity_error(request, error: IntegrityError):
        return respond(request, 409, error_body("This conflicts with stored data."))

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, error):
        return respond(request, 401, error_body("Authentication required."))

    @api.exception_handler(PermissionDenied)
    def forbidden(request, error):
        return respond(request, 403, error_body(str(error) or "You may not do this."))

    @api.exception_handler(Http404)
    def not_found(request, error):
        return respond(request, 404, error_body("Not found."))

    @api.exception_handler(FiguresComputing)
    def computing(request, error: FiguresComputing):
        response = respond(request, ACCEPTED, error_body(COMPUTING))
        response["Retry-After"] = str(COMPUTING_RETRY_SECONDS)
        response[QUEUED_HEADER] = "1"
        return response

    @api.exception_handler(HttpError)
    def http_error(request, error: HttpError):
        return respond(request, error.status_code, error_body(error.message))

    @api.exception_handler(Exception)
    def unexpected_error(request, error: Exception):
        if is_outage(error):
            return unavailable(request, api=True)
        # A bug, not the caller's fault: the traceback goes to the log (with the request id),
        # the caller gets the API's error body and no internals, DEBUG or not.
        logger.error("unexpected error in %s %s", request.method, request.path, exc_info=error)
        return respond(request, INTERNAL_ERROR, error_body("Internal server error."))
