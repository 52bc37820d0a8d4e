"""Writes of the reminders' settings: a person's channel, weekday (or off) and a unit's
Slack and Teams channels. A person sets their own (admins anyone's); a unit's channels
are set by those who may add to the unit (its leads above it, the strategy office).
Every URL passes the outbound gate when saved (and again when a message goes out)."""

from django.core.exceptions import ValidationError

from lodestar.notify.models import NotificationPreference, UnitChannel
from lodestar.org.acting import Actor, service
from lodestar.org.changes import changed_nothing
from lodestar.org.models import Person, Unit
from lodestar.org.permissions import Action, require
from lodestar.outbound import validate as validate_url
from lodestar.validation import validated_save


@service
def notification_preference_set(
    *, acting: Actor, person: Person, channel: str, weekday: int = 0, webhook_url: str = ""
) -> NotificationPreference:
    require(acting, Action.CHANGE, person)
    preference = NotificationPreference.objects.filter(person=person).first()
    preference = preference or NotificationPreference(person=person)
    preference.channel, preference.weekday, preference.webhook_url = channel, weekday, webhook_url
    chat = (NotificationPreference.Channel.SLACK, NotificationPreference.Channel.TEAMS)
    if channel in chat and not webhook_url:
        raise ValidationError({"webhook_url": ["Slack and Teams need your incoming webhook URL."]})
    if webhook_url:
        validate_url(webhook_url, "webhook_url")
    changed_nothing()  # how one person is told: no kept figure reads it
    return validated_save(preference)


@service
def unit_channel_set(
    *, acting: Actor, unit: Unit, slack_url: str = "", teams_url: str = ""
) -> UnitChannel:
    require(acting, Action.ADD, unit)
    channel = UnitChannel.objects.filter(unit=unit).first() or UnitChannel(unit=unit)
    channel.slack_url, channel.teams_url = slack_url, teams_url
    for field, url in (("slack_url", slack_url), ("teams_url", teams_url)):
        if url:
            validate_url(url, field)
    changed_nothing()  # where a unit is told: no kept figure reads it
    return validated_save(channel)
