"""Provisioning by an identity provider (SCIM 2.0, /scim/v2/): who may call it, and the
identifiers the provider gave the people and units it manages."""

from django.conf import settings
from django.db import models


class ScimClient(models.Model):
    """One identity provider's bearer token: only its SHA-256 is kept. Made by an admin
    (`lodestar scim create NAME`); a revoked one is refused."""

    name = models.CharField(max_length=100, unique=True)
    prefix = models.CharField(max_length=12)  # in clear, to tell tokens apart
    hashed = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,  # made from the shell: by the installation itself
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # Asked for when the token is made (`lodestar scim create NAME --hand-over`): a SCIM
    # body cannot say it, and an identity provider deactivates people without asking.
    hands_over = models.BooleanField(
        default=False,
        help_text="A person it deactivates hands their open key results to their manager.",
    )

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class ScimIdentity(models.Model):
    """What the provider calls one of our people or units (`externalId`), and whether it
    has deprovisioned them (a deleted user stays as a deactivated person, with their
    history and ownership, but is gone from the provider's view)."""

    class Kind(models.TextChoices):
        USER = "user", "User"
        GROUP = "group", "Group"

    kind = models.CharField(max_length=5, choices=Kind.choices)
    object_id = models.BigIntegerField()
    external_id = models.CharField(max_length=255, blank=True)
    deprovisioned = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="scim_identity_once")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id} ({self.external_id})"
