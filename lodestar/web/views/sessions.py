"""/account/sessions/: where I am signed in (browser, address, since, last seen, this one),
each ended with a button or all but this one at once; my API tokens, which sign in without
a session; and my latest sign-ins with where they came from."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from lodestar.api.models import ApiToken
from lodestar.audit.front_door import door_history
from lodestar.org.sessions import (
    sessions_of,
    signed_in_session_end,
    signed_in_sessions_end_others,
)
from lodestar.web.views.account import signed_in_person

SIGN_INS_SHOWN = 20


@login_required
def sessions(request: HttpRequest) -> HttpResponse:
    person = signed_in_person(request)
    history = door_history(person=person, sign_ins_only=True)
    return render(
        request,
        "web/sessions.html",
        {
            "sessions": sessions_of(person, request.session.session_key),
            "tokens": [t for t in ApiToken.objects.filter(person=person) if t.active],
            "sign_ins": history.events[:SIGN_INS_SHOWN],
        },
    )


@login_required
@require_POST
def session_end(request: HttpRequest) -> HttpResponse:
    key = request.POST.get("session", "")[:40]
    if key == request.session.session_key:
        messages.info(request, "This is the session you are using: sign out from the top bar.")
        return redirect("sessions")
    signed_in_session_end(acting=request.user, person=signed_in_person(request), session_key=key)
    messages.success(request, "That session is signed out.")
    return redirect("sessions")


@login_required
@require_POST
def sessions_end_others(request: HttpRequest) -> HttpResponse:
    ended = signed_in_sessions_end_others(
        acting=request.user, person=signed_in_person(request), keep=request.session.session_key
    )
    messages.success(request, f"Signed out everywhere else ({ended} sessions).")
    return redirect("sessions")
