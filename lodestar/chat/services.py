"""Writes of checking in from chat: a check-in by a one-click link (the link's nonce is
used up in the same transaction, so a refused check-in leaves the link usable), and the
link of a Slack user to the signed-in person."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from lodestar.chat.models import SlackIdentity, UsedCheckinLink
from lodestar.okrs.models import CheckIn, KeyResult
from lodestar.okrs.services import checkin_create
from lodestar.org.acting import Actor, personal_service, service
from lodestar.org.permissions import Action, require
from lodestar.validation import validated_save

ALREADY_USED = "This check-in link was already used: each link checks in once."


@service
def checkin_link_use(
    *,
    acting: Actor,
    key_result: KeyResult,
    nonce: str,
    value: float,
    confidence: int,
    note: str = "",
) -> CheckIn:
    """Check in as `acting` (the link's person), through the same rules as the page."""
    try:
        with transaction.atomic():  # the unique nonce decides a race between two clicks
            UsedCheckinLink.objects.create(nonce=nonce, person=acting, key_result=key_result)
    except IntegrityError:
        raise ValidationError(ALREADY_USED) from None
    return checkin_create(
        acting=acting,
        key_result=key_result,
        value=value,
        confidence=confidence,
        note=note,
        author=acting,
    )


@personal_service
def slack_identity_link(*, acting: Actor, team_id: str, user_id: str) -> SlackIdentity:
    """The Slack user `user_id` of workspace `team_id` is the acting person from now on:
    how one is reached, so the rule of one's notification settings."""
    require(acting, Action.CHANGE, acting)
    found = SlackIdentity.objects.filter(team_id=team_id, user_id=user_id).first()
    if found is not None:
        if found.person_id == acting.pk:
            return found
        raise ValidationError("This Slack user is already linked to someone else in Lodestar.")
    return validated_save(SlackIdentity(team_id=team_id, user_id=user_id, person=acting))
