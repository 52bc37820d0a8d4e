"""Reminders' settings: my notification preference, and a unit's Slack and Teams channels."""

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import AnyHttpUrl, Field

from lodestar.api.crud import ERRORS, Id
from lodestar.api.enums import Channel
from lodestar.notify.models import NotificationPreference, UnitChannel
from lodestar.notify.preferences import notification_preference_set, unit_channel_set
from lodestar.org.models import Unit
from lodestar.org.permissions import Action, require

router = Router(tags=["notifications"])


class PreferenceOut(Schema):
    channel: Channel
    weekday: int = Field(description="0 is Monday.")
    webhook_url: str


class PreferenceIn(Schema):
    channel: Channel
    # Strict: a whole number only, not `false` nor 2.0 (pydantic would read them as 0 and 2).
    weekday: int = Field(0, ge=0, le=6, strict=True)
    webhook_url: AnyHttpUrl | None = None


class UnitChannelOut(Schema):
    unit: int = Field(validation_alias="unit_id")
    slack_url: str
    teams_url: str


class UnitChannelIn(Schema):
    slack_url: AnyHttpUrl | None = None
    teams_url: AnyHttpUrl | None = None


def mine(person) -> NotificationPreference:
    found = NotificationPreference.objects.filter(person=person).first()
    return found or NotificationPreference(person=person)


@router.get(
    "/me/notifications",
    response={200: PreferenceOut, **ERRORS},
    operation_id="my_notifications_read",
)
def read_preference(request: HttpRequest):
    """Where the caller's reminders and digest go (e-mail, Slack, Teams or off) and on which
    weekday."""
    return mine(request.auth)


@router.put(
    "/me/notifications",
    response={200: PreferenceOut, **ERRORS},
    operation_id="my_notifications_set",
)
def set_preference(request: HttpRequest, body: PreferenceIn):
    """Sets the caller's channel and weekday; `webhook_url` is the Slack or Teams incoming
    webhook for those channels."""
    return notification_preference_set(
        acting=request.auth,
        person=request.auth,
        channel=body.channel,
        weekday=body.weekday,
        webhook_url=str(body.webhook_url or ""),
    )


def unit_for(request: HttpRequest, id: int) -> Unit:
    return request.reader.load(Unit, id)


@router.get(
    "/units/{id}/channels",
    response={200: UnitChannelOut, **ERRORS},
    operation_id="unit_channels_read",
)
def read_unit_channels(request: HttpRequest, id: Id):
    """The unit's Slack and Teams incoming webhooks, where its reminders go; shown to those who
    may add to the unit only."""
    unit = unit_for(request, id)
    require(request.auth, Action.ADD, unit)  # channel URLs are secrets of a kind
    return UnitChannel.objects.filter(unit=unit).first() or UnitChannel(unit=unit)


@router.put(
    "/units/{id}/channels",
    response={200: UnitChannelOut, **ERRORS},
    operation_id="unit_channels_set",
)
def set_unit_channels(request: HttpRequest, id: Id, body: UnitChannelIn):
    """Sets or clears (empty) the unit's Slack and Teams incoming webhooks."""
    return unit_channel_set(
        acting=request.auth,
        unit=unit_for(request, id),
        slack_url=str(body.slack_url or ""),
        teams_url=str(body.teams_url or ""),
    )
