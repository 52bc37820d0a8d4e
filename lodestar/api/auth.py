"""Who is calling: a personal token (`Authorization: Bearer lds_…`) or the browser's
session (with Django's CSRF check on writes)."""

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from lodestar.api.services import api_token_authenticate
from lodestar.org.models import Person


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Person | None:
        person = api_token_authenticate(token)
        if person is not None:
            request.user = person
        return person


api_auth = [TokenAuth(), SessionAuth()]
