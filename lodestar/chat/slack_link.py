"""The link the bot gives a Slack user who is not yet linked: signed (its own salt) over
the workspace and user, for a day; only the person who opens it signed in can confirm."""

from dataclasses import dataclass
from datetime import timedelta

from django.core import signing
from django.urls import reverse

from lodestar.links import absolute

SALT = "lodestar.chat.slack-link"
VALID_FOR = timedelta(days=1)


@dataclass(frozen=True)
class SlackUser:
    team_id: str
    user_id: str


def slack_token(slack_user: SlackUser) -> str:
    return signing.dumps({"t": slack_user.team_id, "u": slack_user.user_id}, salt=SALT)


def slack_link(slack_user: SlackUser) -> str:
    return absolute(reverse("chat-slack-link", args=[slack_token(slack_user)]))


def read_slack_link(token: str) -> SlackUser:
    """Raises signing.BadSignature (SignatureExpired too) when it is not ours or too old."""
    found = signing.loads(token, salt=SALT, max_age=VALID_FOR)
    return SlackUser(found["t"], found["u"])
