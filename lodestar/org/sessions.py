"""Where a person is signed in: one `SignedInSession` per browser, written at sign-in (the
user_logged_in signal), gone at sign-out, and ended by its person from any other browser.

Django's own sessions stay as they are (database sessions): a row here is keyed by the
session's key, and ending it deletes that session, so its browser is signed out at its next
request. Its last use is noted at most every SEEN_EVERY (`SessionSeenMiddleware`): one
UPDATE every few minutes of use, never one per request. Why not django-qsessions (the kept
library for Django 5.2; django-user-sessions' last release predates Django 5): it replaces
the session engine and its middleware, reads the address from REMOTE_ADDR only (the proxy's,
behind our proxies), re-saves every session whose address changes and notes its last use
only when the session happens to be saved.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from importlib import import_module

from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from lodestar.audit.account import method_of
from lodestar.audit.origin import device_of, origin_of
from lodestar.org.acting import Actor, personal_service
from lodestar.org.models import Person, SignedInSession
from lodestar.org.permissions import Action, require

SEEN_EVERY = timedelta(minutes=5)
TRACKED = "lodestar_tracked"  # in the session: [the key it is tracked under, last seen]


def store(session_key: str):
    return import_module(settings.SESSION_ENGINE).SessionStore(session_key)


def live_keys():
    return Session.objects.filter(expire_date__gt=timezone.now()).values("session_key")


def session_started(sender, request, user, **kwargs) -> None:
    """user_logged_in: this browser's row (the same key signed in again: the same row), and
    the person's rows whose sessions ended by themselves (expired) pruned."""
    session = request.session
    if session.session_key is None:
        session.save()
    now = timezone.now()
    origin = origin_of(request)
    SignedInSession.objects.filter(person=user).exclude(session_key__in=live_keys()).delete()
    SignedInSession.objects.update_or_create(
        session_key=session.session_key,
        defaults={
            "person": user,
            "ip": origin.address,
            "user_agent": origin.user_agent,
            "method": method_of(request, user),
            "signed_in_at": now,
            "last_seen_at": now,
        },
    )
    session[TRACKED] = [session.session_key, now.isoformat()]


def session_ended(sender, request, user, **kwargs) -> None:
    """user_logged_out: before Django forgets the session."""
    if request is not None and request.session.session_key:
        SignedInSession.objects.filter(session_key=request.session.session_key).delete()


class SessionSeenMiddleware:
    """After the view: when this session was last seen more than SEEN_EVERY ago, or its key
    changed (a password change makes a new one), its row says so. Inside SessionMiddleware,
    which then saves the session's note."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            seen(request)
        return response


def seen(request) -> None:
    session = request.session
    tracked = session.get(TRACKED)
    key = session.session_key
    if not tracked or key is None:
        return  # signed in before sessions were kept, or signing out
    was_key, was_seen = tracked
    now = timezone.now()
    last = parse_datetime(was_seen) if isinstance(was_seen, str) else None
    if was_key == key and last is not None and now - last < SEEN_EVERY:
        return
    origin = origin_of(request)
    changed = SignedInSession.objects.filter(session_key=was_key, person=request.user).update(
        session_key=key, last_seen_at=now, ip=origin.address, user_agent=origin.user_agent
    )
    if not changed:  # its row was pruned while the session lived on: ended here
        session.flush()
        return
    session[TRACKED] = [key, now.isoformat()]


@dataclass(frozen=True)
class ShownSession:
    key: str
    device: str
    ip: str
    method: str
    signed_in_at: datetime
    last_seen_at: datetime
    current: bool


def sessions_of(person: Person, current_key: str | None) -> list[ShownSession]:
    """The person's live sessions, the current one first, then the latest seen."""
    rows = SignedInSession.objects.filter(person=person, session_key__in=live_keys())
    shown = [
        ShownSession(
            key=row.session_key,
            device=device_of(row.user_agent),
            ip=row.ip or "",
            method=row.method,
            signed_in_at=row.signed_in_at,
            last_seen_at=row.last_seen_at,
            current=row.session_key == current_key,
        )
        for row in rows.order_by("-last_seen_at", "-signed_in_at")
    ]
    return sorted(shown, key=lambda s: not s.current)


def end(row: SignedInSession) -> None:
    store(row.session_key).delete()
    row.delete()


@personal_service
def signed_in_session_end(*, acting: Actor, person: Person, session_key: str) -> None:
    """Sign one of the person's browsers out. One that is not theirs (or no longer signed
    in) is as missing as it: nothing happens to anyone else's."""
    row = SignedInSession.objects.filter(person=person, session_key=session_key).first()
    if row is not None:
        require(acting, Action.SIGN_OUT, row)
        end(row)


@personal_service
def signed_in_sessions_end_others(*, acting: Actor, person: Person, keep: str) -> int:
    """Sign every other browser of the person out; the one with `keep` stays. How many."""
    rows = list(SignedInSession.objects.filter(person=person).exclude(session_key=keep))
    for row in rows:
        require(acting, Action.SIGN_OUT, row)
        end(row)
    return len(rows)
