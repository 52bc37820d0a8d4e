"""The one-click check-in page (from a reminder's link) and the page that links a Slack
user to the signed-in person.

A link checks in as its person: without a password when single sign-on is not enforced
for them, else once they have signed in. Whoever is signed in as someone else is refused.
The key result is loaded with the person's own rights (`Reader.load`, CHECK_IN)."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from lodestar.chat.links import LinkRefused, read_link
from lodestar.chat.models import SlackIdentity, UsedCheckinLink
from lodestar.chat.services import ALREADY_USED, checkin_link_use, slack_identity_link
from lodestar.chat.slack_link import read_slack_link
from lodestar.okrs.models import KeyResult
from lodestar.org.models import Person
from lodestar.org.permissions import Action
from lodestar.org.reader import Reader
from lodestar.sso.offer import sso_offer
from lodestar.web.forms import run_service
from lodestar.web.forms.okrs import CheckInForm

GONE = 410


def sign_in_needed(person: Person) -> bool:
    """Single sign-on is enforced for this person: the link works after signing in."""
    sso = sso_offer()
    return sso is not None and sso.only and person.username not in settings.SSO_BREAK_GLASS


def refused(request: HttpRequest, message: str, status: int) -> HttpResponse:
    return render(request, "chat/refused.html", {"message": message}, status=status)


@require_http_methods(["GET", "POST"])
def checkin_page(request: HttpRequest, token: str) -> HttpResponse:
    try:
        link = read_link(token)
    except LinkRefused as why:
        expired = "expired" in str(why)
        return refused(request, str(why), GONE if expired else 404)
    person = Person.objects.filter(pk=link.person_id, is_active=True).first()
    if person is None:
        raise Http404("This link's person is no longer in Lodestar.")
    user = request.user
    if user.is_authenticated and user.pk != person.pk:
        message = f"This link is for {person}; you are signed in as {user}."
        return refused(request, message, 403)
    if not user.is_authenticated and sign_in_needed(person):
        return redirect_to_login(request.get_full_path())
    key_result = Reader.for_person(person).load(
        KeyResult.objects.select_related("cycle"), link.key_result_id, Action.CHECK_IN
    )
    if UsedCheckinLink.objects.filter(nonce=link.nonce).exists():
        return refused(request, ALREADY_USED, GONE)
    form = CheckInForm(request.POST or None, key_result=key_result)
    if request.method == "POST":
        done = form.is_valid() and run_service(
            form,
            lambda: checkin_link_use(
                acting=person, key_result=key_result, nonce=link.nonce, **form.cleaned_data
            ),
        )
        if done:
            return render(request, "chat/checked_in.html", {"key_result": done.key_result})
    status = 400 if form.is_bound else 200
    context = {"form": form, "key_result": key_result, "person": person}
    return render(request, "chat/checkin.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def slack_link_page(request: HttpRequest, token: str) -> HttpResponse:
    try:
        slack_user = read_slack_link(token)
    except signing.BadSignature:
        return refused(request, "This link is not valid or has expired: ask /lodestar again.", 404)
    found = SlackIdentity.objects.filter(team_id=slack_user.team_id, user_id=slack_user.user_id)
    error = ""
    if request.method == "POST":
        try:
            slack_identity_link(
                acting=request.user, team_id=slack_user.team_id, user_id=slack_user.user_id
            )
        except ValidationError as why:  # already someone else's
            error = " ".join(why.messages)
        else:
            return render(request, "chat/slack_linked.html", {"slack_user": slack_user})
    elif found.exclude(person=request.user).exists():
        error = "This Slack user is already linked to someone else in Lodestar."
    context = {"slack_user": slack_user, "error": error}
    return render(request, "chat/slack_link.html", context, status=400 if error else 200)
