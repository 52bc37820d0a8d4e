"""Data sources: where a measure's values come from when no person types them, and the
log of every sync.

A source stores the *name* of a database connection (declared by the operator in
SOURCE_DATABASES) or a URL, and the *name* of an environment variable holding a token;
never a password or a token itself.
"""

from django.conf import settings
from django.db import models

from lodestar.strategy.models import Measure


class DataSource(models.Model):
    class Kind(models.TextChoices):
        SQL = "sql", "SQL query on a read-only connection"
        HTTP = "http", "Document fetched over HTTP(S)"
        PUSH = "push", "Pushed through the API"

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "Excel (XLSX)"
        JSON = "json", "JSON"

    measure = models.OneToOneField(Measure, on_delete=models.CASCADE, related_name="data_source")
    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    connection = models.CharField(
        max_length=50, blank=True, help_text="A connection named in SOURCE_DATABASES."
    )
    query = models.TextField(blank=True, help_text="Returns the columns period and value.")
    url = models.CharField(max_length=500, blank=True)
    format = models.CharField(max_length=10, choices=Format.choices, blank=True)
    period_field = models.CharField(
        max_length=200, default="period", help_text="Column, or dotted path in a JSON record."
    )
    value_field = models.CharField(max_length=200, default="value")
    records_path = models.CharField(
        max_length=200, blank=True, help_text="JSON: dotted path to the list of records."
    )
    token_env = models.CharField(
        max_length=100,
        blank=True,
        help_text="Name of the environment variable whose value is sent as a bearer token.",
    )
    interval_minutes = models.PositiveIntegerField(default=60)
    active = models.BooleanField(default=True)
    next_sync_at = models.DateTimeField(null=True, blank=True, help_text="Empty: due now.")
    # A worker holds a source until then (claimed by a conditional UPDATE, see sync.py).
    claimed_until = models.DateTimeField(null=True, blank=True, editable=False)
    # "Sync now" from a page or the API: a worker (`lodestar worker`) runs it next, so no
    # web request waits on a query or a server; cleared by the run that started after it.
    sync_requested_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_sync_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["active", "next_sync_at"])]

    def __str__(self) -> str:
        return self.name


class SyncRun(models.Model):
    """One sync of one source: when, what came in, what was refused and why."""

    class Trigger(models.TextChoices):
        SCHEDULE = "schedule", "Schedule"
        MANUAL = "manual", "Sync now"
        PUSH = "push", "Pushed"

    source = models.ForeignKey(DataSource, on_delete=models.CASCADE, related_name="runs")
    trigger = models.CharField(max_length=10, choices=Trigger.choices)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    rows_accepted = models.PositiveIntegerField(default=0)
    rows_refused = models.PositiveIntegerField(default=0)
    # [{"row": 3, "period": "...", "value": "...", "reason": "..."}, ...]
    refusals = models.JSONField(default=list, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.source} {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def ok(self) -> bool:
        return self.finished_at is not None and not self.error
