"""Who is calling: a personal token (`Authorization: Bearer lds_…`) or the browser's
session (with Django's CSRF check on writes)."""

from django.http import HttpRequest
from ninja.errors import HttpError
from ninja.security import HttpBearer, SessionAuth

from lodestar.api.services import TokenExpired, TokenReadOnly, api_token_authenticate
from lodestar.org.models import Person
from lodestar.org.reader import Reader

READS = ("GET", "HEAD", "OPTIONS")


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Person | None:
        # Asked twice for a POST with an Idempotency-Key (its caller is found before the
        # run): the token is looked up once per request.
        found = getattr(request, "_lodestar_token", None)
        if found is not None and found[0] == token:
            return found[1]
        writes = request.method not in READS
        try:
            person = api_token_authenticate(token, writes=writes)
        except TokenExpired as expired:
            raise HttpError(401, str(expired)) from expired
        except TokenReadOnly as read_only:
            raise HttpError(403, str(read_only)) from read_only
        request._lodestar_token = (token, person)
        if person is not None:
            request.user = person
            request.reader = Reader.for_person(person)
        return person


class PersonSessionAuth(SessionAuth):
    """The browser's session, with Django's CSRF check on writes (ninja's SessionAuth),
    answering with the signed-in Person itself. `request.user` is a lazy stand-in for it, and
    a write whose object is the caller (PUT /me/notifications) hands that object to the
    permission layer, which tells objects by their model: the stand-in would be refused."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Person | None:
        user = super().authenticate(request, key)
        return None if user is None else user._wrapped  # evaluated by is_authenticated


api_auth = [TokenAuth(), PersonSessionAuth()]
