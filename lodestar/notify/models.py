"""Outgoing webhooks: who wants which events, and the log of every delivery.

A delivery row is written in the same transaction as the change it reports (an outbox):
it exists exactly when the change was committed, and `lodestar webhooks` sends it later,
outside the request.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models


class WebhookSubscription(models.Model):
    name = models.CharField(max_length=100)
    url = models.URLField(max_length=500)
    events = models.JSONField(
        default=list, help_text='Event names, e.g. ["checkin.created"]; ["*"] for all.'
    )
    secret = models.CharField(max_length=64, help_text="Signs each body (HMAC-SHA256).")
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    # Counts edits (optimistic locking): an edit made on an older version is refused.
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def wants(self, event: str) -> bool:
        return "*" in self.events or event in self.events


class WebhookDelivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed (gave up)"

    subscription = models.ForeignKey(
        WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.CharField(max_length=50)
    body = models.TextField(help_text="The exact JSON sent and signed.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    # When a worker may next try; a worker claims a row by moving this forward.
    next_attempt_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]
        verbose_name_plural = "webhook deliveries"

    def __str__(self) -> str:
        return f"{self.event} → {self.subscription} ({self.status})"


class WebhookAttempt(models.Model):
    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="log")
    at = models.DateTimeField()
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["at"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.response_status or self.error[:40]}"


# Reminders and digests ----------------------------------------------------------------
class NotificationPreference(models.Model):
    """How a person wants the weekly reminders and digests (default: e-mail on Monday)."""

    class Channel(models.TextChoices):
        EMAIL = "email", "E-mail"
        SLACK = "slack", "Slack"
        TEAMS = "teams", "Microsoft Teams"
        OFF = "off", "Off"

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.EMAIL)
    weekday = models.PositiveSmallIntegerField(
        default=0, validators=[MaxValueValidator(6)], help_text="0 is Monday, 6 Sunday."
    )
    webhook_url = models.URLField(
        blank=True, max_length=500, help_text="Your Slack or Teams incoming webhook."
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(weekday__lte=6), name="notification_weekday_0_to_6"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.channel}"


class UnitChannel(models.Model):
    """Where a unit's weekly digest goes: its Slack and Teams channels."""

    unit = models.OneToOneField(
        "org.Unit", on_delete=models.CASCADE, related_name="notification_channel"
    )
    slack_url = models.URLField(blank=True, max_length=500)
    teams_url = models.URLField(blank=True, max_length=500)

    def __str__(self) -> str:
        return f"Channels of {self.unit}"


class Notification(models.Model):
    """One message to one recipient (a person or a unit's channel) of one kind in one ISO
    week: the unique constraint is what makes a second run in the same week send nothing."""

    class Kind(models.TextChoices):
        CHECKIN_REMINDER = "checkin_reminder", "Check-in reminder"
        MEASURE_REMINDER = "measure_reminder", "Measure values due"
        DIGEST = "digest", "Weekly digest"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    recipient = models.CharField(max_length=40, help_text="person:<id> or unit:<id>")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    unit = models.ForeignKey(
        "org.Unit", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    week = models.CharField(max_length=8, help_text="ISO week, e.g. 2026-W49")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    channels = models.CharField(max_length=100, blank=True, help_text="Where it went.")
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "week"], name="one_notification_per_week"
            )
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient} ({self.week}, {self.status})"
