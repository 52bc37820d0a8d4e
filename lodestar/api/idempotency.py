"""`Idempotency-Key` on every POST of the API: a client that lost the reply to a write
sends the same request again with the same key and gets the first response, without the
write running twice.

A key (1 to 255 printable characters) is the sending person's own for 24 hours (KEPT).
The first request with it inserts its row before it runs: of two concurrent requests the
unique constraint lets one in, the other answers 409 while the first runs. The write and
its stored response commit in one transaction, so a response is kept exactly when its
write happened. A response that is not 2xx is not kept (every write is one transaction:
it wrote nothing) and the key is free again for a corrected request. The same key with
another method, path or body is refused (422). Installed on the whole API as a ninja
"view" decorator (`api.add_decorator`), so every POST has it, present and future; a GET
ignores the header.
"""

import functools
import hashlib
from collections.abc import Callable
from contextlib import suppress
from datetime import timedelta

from django.db import DatabaseError, IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from ninja.errors import HttpError

from lodestar.api.auth import api_auth
from lodestar.api.errors import error_body
from lodestar.api.models import IdempotentRequest
from lodestar.org.models import Person

HEADER = "Idempotency-Key"
REPLAYED = "Idempotent-Replayed"  # on a response read back from the first request's
KEPT = timedelta(hours=24)
# A request still marked running after this long died with its process (gunicorn kills
# a worker long before): its transaction rolled back, so a retry may take the key over.
ABANDONED = timedelta(minutes=5)
KEPT_HEADERS = ("ETag", "Location")
MAX_LENGTH = 255

MALFORMED = f"An {HEADER} is 1 to {MAX_LENGTH} printable characters (a UUID, say)."
OTHER_REQUEST = f"This {HEADER} was used for a different request."
IN_PROGRESS = (
    f"A request with this {HEADER} is still in progress; "
    "retry once it has finished to get its response."
)

# The API's description says it (the OpenAPI document's `info.description`).
IDEMPOTENCY_NOTE = (
    f"Every POST takes an `{HEADER}` header (1 to {MAX_LENGTH} printable characters, a "
    "UUID say): sent again by the same person with the same method, path and body within "
    "24 hours, the request is not run again and answers the first response (status and "
    f"body, with `{REPLAYED}: true`). The same key with another request is 422; while the "
    "first request with it still runs, 409. A response other than 2xx is not kept: the "
    "key is free again. A GET ignores the header."
)


def refusal(status: int, detail: str) -> JsonResponse:
    return JsonResponse(error_body(detail, {HEADER: [detail]}), status=status)


def well_formed(key: str) -> bool:
    return 0 < len(key) <= MAX_LENGTH and key.isascii() and key.isprintable() and bool(key.strip())


def fingerprint(request: HttpRequest) -> str:
    digest = hashlib.sha256(f"{request.method}\n{request.get_full_path()}\n".encode())
    digest.update(request.body)
    return digest.hexdigest()


def caller(request: HttpRequest) -> Person | None:
    """The person the API's own authentication finds (it runs again inside, from what it
    kept on the request); None: the request itself answers 401 or 403."""
    for auth in api_auth:
        try:
            person = auth(request)
        except HttpError:
            return None
        if person is not None:
            return person
    return None


def replay(first: IdempotentRequest) -> HttpResponse:
    response = HttpResponse(first.body, status=first.status, content_type=first.content_type)
    for name, value in first.headers.items():
        response[name] = value
    response[REPLAYED] = "true"
    return response


def claimed(person: Person, key: str, mark: str) -> IdempotentRequest | HttpResponse:
    """The key's row, inserted for this request; or the answer when it was there first."""
    now = timezone.now()
    try:
        with transaction.atomic():
            return IdempotentRequest.objects.create(
                person=person, key=key, fingerprint=mark, created_at=now
            )
    except IntegrityError:
        pass
    first = IdempotentRequest.objects.filter(person=person, key=key).first()
    if first is None:  # its request failed and let the key go meanwhile
        return refusal(409, IN_PROGRESS)
    expired = first.created_at <= now - KEPT
    abandoned = first.status is None and first.created_at <= now - ABANDONED
    if expired or abandoned:
        # Conditional on the row as read: of two retries taking it over, one does.
        taken = IdempotentRequest.objects.filter(pk=first.pk, created_at=first.created_at)
        if taken.update(fingerprint=mark, created_at=now, status=None, body="", headers={}):
            first.fingerprint, first.created_at, first.status = mark, now, None
            return first
        return refusal(409, IN_PROGRESS)
    if first.fingerprint != mark:
        return refusal(422, OTHER_REQUEST)
    if first.status is None:
        return refusal(409, IN_PROGRESS)
    return replay(first)


def keep(claim: IdempotentRequest, response: HttpResponse) -> None:
    claim.status = response.status_code
    claim.content_type = response.get("Content-Type", "")
    claim.body = response.content.decode("utf-8", "replace")
    claim.headers = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
    claim.save(update_fields=["status", "content_type", "body", "headers"])


def idempotent(run: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Around an operation's whole run (authentication, validation, the view, the
    response), as ninja's "view" decorators are."""

    @functools.wraps(run)
    def keyed(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        key = request.headers.get(HEADER)
        if request.method != "POST" or key is None:
            return run(request, *args, **kwargs)
        if not well_formed(key):
            return refusal(422, MALFORMED)
        person = caller(request)
        if person is None:
            return run(request, *args, **kwargs)
        claim = claimed(person, key, fingerprint(request))
        if isinstance(claim, HttpResponse):
            return claim
        kept = False
        try:
            with transaction.atomic():  # the write and its kept response commit together
                response = run(request, *args, **kwargs)
                if 200 <= response.status_code < 300:
                    keep(claim, response)
                    kept = True
        finally:
            if not kept:
                with suppress(DatabaseError):  # an outage: ABANDONED frees the key then
                    IdempotentRequest.objects.filter(pk=claim.pk).delete()
        return response

    return keyed


def prune(now=None) -> int:
    """Forget the keys older than KEPT; returns how many."""
    cutoff = (now or timezone.now()) - KEPT
    return IdempotentRequest.objects.filter(created_at__lte=cutoff).delete()[0]
