"""Personal API tokens: the secret is shown once; only its SHA-256 is stored."""

from datetime import UTC

from django.conf import settings
from django.db import models
from django.utils import timezone


class ApiToken(models.Model):
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100)
    # The token's first characters, kept in clear so that people can tell tokens apart.
    prefix = models.CharField(max_length=12)
    hashed = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # Empty: never. From then on the token is refused with a 401 that says it expired.
    expires_at = models.DateTimeField(null=True, blank=True)
    # A token for dashboards and reports: every write it sends is refused (403).
    read_only = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def active(self) -> bool:
        return self.revoked_at is None and not self.expired

    @property
    def expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def expires_in_utc(self) -> str:
        return f"{self.expires_at.astimezone(UTC):%Y-%m-%d %H:%M} UTC"

    @property
    def scope(self) -> str:
        return "read only" if self.read_only else "read and write"

    @property
    def expiry(self) -> str:
        if self.expires_at is None:
            return "never expires"
        return f"{'expired' if self.expired else 'expires'} {self.expires_in_utc}"


class IdempotentRequest(models.Model):
    """The first POST a person sent with an `Idempotency-Key` (lodestar.api.idempotency):
    its fingerprint (method, path and body), then its response, so that a retry gets that
    response instead of running the write again. No response yet: still running."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)  # SHA-256 of method, path and body
    created_at = models.DateTimeField(default=timezone.now, db_index=True)  # pruned by it
    status = models.PositiveSmallIntegerField(null=True, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    body = models.TextField(blank=True)
    headers = models.JSONField(default=dict, blank=True)  # ETag, Location when it had them

    class Meta:
        constraints = [
            # Inserted before the write runs: of two concurrent requests one inserts, the
            # other is told the first is in progress.
            models.UniqueConstraint(fields=["person", "key"], name="api_idempotency_key_once")
        ]

    def __str__(self) -> str:
        return f"{self.key} ({self.status or 'in progress'})"
