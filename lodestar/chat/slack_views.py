"""Slack's two request URLs: the `/lodestar` slash command and interactive messages
(a "Check in" button opens the form; its submission checks in). Every request is verified
first (`slack.verify`); the Slack user acts as the Lodestar person they linked, with that
person's rights, through the same check-in service as the page."""

import json
import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from lodestar.chat import blocks, slack
from lodestar.chat.models import SlackIdentity
from lodestar.chat.slack_link import SlackUser, slack_link
from lodestar.okrs.models import KeyResult
from lodestar.okrs.selectors import active_cycle
from lodestar.okrs.services import checkin_create
from lodestar.org.models import Person
from lodestar.org.permissions import Action
from lodestar.org.reader import Reader
from lodestar.outbound import OutboundError
from lodestar.web.forms import run_service
from lodestar.web.forms.okrs import CheckInForm

log = logging.getLogger(__name__)
HELP = "Try `/lodestar my key results` or `/lodestar check in`."
LISTING = {"", "my key results", "check in", "checkin"}


def verified(view):
    """Refuse (401) what Slack did not sign; 404 while Slack is not set up."""

    @csrf_exempt
    @require_POST
    def run(request: HttpRequest) -> HttpResponse:
        if not settings.SLACK_SIGNING_SECRET:
            raise Http404("Slack is not set up here.")
        try:
            slack.verify(request.body, request.headers)
        except slack.NotFromSlack as why:
            return HttpResponse(str(why), status=401, content_type="text/plain")
        return view(request)

    return run


def linked_person(slack_user: SlackUser) -> Person | None:
    found = SlackIdentity.objects.filter(
        team_id=slack_user.team_id, user_id=slack_user.user_id, person__is_active=True
    ).select_related("person")
    identity = found.first()
    return identity.person if identity else None


def ephemeral(text: str, more: list[dict] | None = None) -> dict:
    answer = {"response_type": "ephemeral", "text": text}
    if more:
        answer["blocks"] = [{"type": "section", "text": blocks.plain(text)}, *more]
    return answer


def link_first(slack_user: SlackUser) -> dict:
    return ephemeral(
        "Link your Slack account to Lodestar first (once): open "
        f"{slack_link(slack_user)} while signed in to Lodestar and confirm."
    )


def open_key_results(person: Person) -> list[KeyResult]:
    """The person's key results of the active cycle they may check in on, oldest first."""
    cycle = active_cycle()
    if cycle is None:
        return []
    reader = Reader.for_person(person)
    found = person.key_results.filter(cycle=cycle).select_related("cycle").order_by("title")
    return [kr for kr in found if reader.can(Action.CHECK_IN, kr)]


@verified
def command(request: HttpRequest) -> HttpResponse:
    slack_user = SlackUser(request.POST.get("team_id", ""), request.POST.get("user_id", ""))
    person = linked_person(slack_user)
    if person is None:
        return JsonResponse(link_first(slack_user))
    asked = " ".join(request.POST.get("text", "").lower().split())
    if asked not in LISTING:
        return JsonResponse(ephemeral(f"I don't know “{asked[:50]}”. {HELP}"))
    key_results = open_key_results(person)
    if not key_results:
        return JsonResponse(ephemeral("You have no open key results to check in on."))
    text = f"Your key results ({len(key_results)}): check in on one."
    return JsonResponse(ephemeral(text, blocks.key_result_list(key_results)))


@verified
def interaction(request: HttpRequest) -> HttpResponse:
    try:
        payload = json.loads(request.POST.get("payload", ""))
    except ValueError:
        payload = None
    team, user = blocks.dig(payload, "team", "id"), blocks.dig(payload, "user", "id")
    if not (isinstance(team, str) and isinstance(user, str)):
        return HttpResponse("The payload is not Slack's interaction JSON.", status=400)
    slack_user = SlackUser(team, user)
    person = linked_person(slack_user)
    kind = payload.get("type")
    if kind == "block_actions":
        return button_pressed(payload, slack_user, person)
    callback = blocks.dig(payload, "view", "callback_id")
    if kind == "view_submission" and callback == blocks.CHECKIN_VIEW:
        return form_submitted(payload, person)
    return HttpResponse(status=200)  # other interactions: nothing to do


def key_result_of(person: Person, pk: str) -> KeyResult:
    """Raises Http404 / PermissionDenied as the page would."""
    rows = KeyResult.objects.select_related("cycle")
    return Reader.for_person(person).load(rows, pk, Action.CHECK_IN)


def button_pressed(payload: dict, slack_user: SlackUser, person: Person | None) -> HttpResponse:
    actions = payload.get("actions")
    actions = [
        a
        for a in (actions if isinstance(actions, list) else [])
        if blocks.dig(a, "action_id") == blocks.CHECKIN_ACTION
    ]
    if not actions:
        return HttpResponse(status=200)
    reply = None
    if person is None:
        reply = link_first(slack_user)
    else:
        try:
            key_result = key_result_of(person, str(actions[0].get("value", "")))
        except (Http404, PermissionDenied):
            reply = ephemeral("You may not check in on this key result.")
        else:
            try:
                modal = blocks.checkin_modal(key_result)
                trigger = str(payload.get("trigger_id", ""))
                slack.call("views.open", {"trigger_id": trigger, "view": modal})
            except OutboundError as error:
                log.warning("Slack views.open failed: %s", error)
    response_url = payload.get("response_url")
    if reply is not None and isinstance(response_url, str) and response_url:
        answer_later(response_url, reply)
    return HttpResponse(status=200)


def answer_later(response_url: str, reply: dict) -> None:
    try:
        slack.post(response_url, reply)
    except OutboundError as error:
        log.warning("Slack's response_url failed: %s", error)


def errors(by_block: dict[str, str]) -> JsonResponse:
    return JsonResponse({"response_action": "errors", "errors": by_block})


def form_submitted(payload: dict, person: Person | None) -> HttpResponse:
    """Check in; a refusal is shown beside the form's field (Slack's `errors`)."""
    if person is None:
        return errors({"value": "Link your Slack account to Lodestar first: /lodestar."})
    view = payload["view"]
    try:
        key_result = key_result_of(person, str(view.get("private_metadata", "")))
    except (Http404, PermissionDenied):
        return errors({"value": "You may not check in on this key result."})
    data = blocks.submitted(view)
    data["done"] = data["value"].strip().lower() in {"1", "done", "yes"}
    form = CheckInForm(data, key_result=key_result)
    saved = form.is_valid() and run_service(
        form,
        lambda: checkin_create(
            acting=person, key_result=key_result, author=person, **form.cleaned_data
        ),
    )
    if not saved:
        by_block = {}
        for field, messages in form.errors.items():
            block = field if field in ("value", "confidence", "note") else "value"
            by_block[block] = " ".join([by_block.get(block, ""), *messages]).strip()
        return errors(by_block)
    return JsonResponse({"response_action": "clear"})
