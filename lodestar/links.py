"""Links that leave the server (mails, chat messages) are absolute, from SITE_URL: never from
the Host header of the request that caused them, which a client may forge."""

from django.conf import settings


def absolute(path: str) -> str:
    return path if path.startswith("http") else f"{settings.SITE_URL}{path}"
