"""What checking in from chat keeps: the one-click links already used (a link carries a
random nonce; its row here is what makes a second click say "already used"), which Slack
user is which person, and the Slack signatures seen within the replay window."""

from django.conf import settings
from django.db import models


class UsedCheckinLink(models.Model):
    nonce = models.CharField(max_length=32, unique=True)
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key_result = models.ForeignKey("okrs.KeyResult", on_delete=models.CASCADE, related_name="+")
    used_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.person} on {self.key_result} at {self.used_at:%Y-%m-%d %H:%M}"


class SlackIdentity(models.Model):
    """A Slack user (in one workspace) is one Lodestar person, linked once by that person."""

    team_id = models.CharField(max_length=32)
    user_id = models.CharField(max_length=32)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="slack_identities"
    )
    linked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["team_id", "user_id"], name="one_person_per_slack_user")
        ]
        verbose_name_plural = "Slack identities"

    def __str__(self) -> str:
        return f"{self.user_id} in {self.team_id} → {self.person}"


class SeenSlackRequest(models.Model):
    """A signature accepted once; the same signed body again within the window is a replay."""

    signature = models.CharField(max_length=80, unique=True)
    seen_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return self.signature
