"""Alerts kept in the database per scope and reader group, valid while the data version
(`org.models.data_version`) and the day have not moved. In the database, not in a
process, so that every app server reads and refreshes the same rows."""

from django.db import models


class InsightCache(models.Model):
    key = models.CharField(max_length=120, unique=True)
    version = models.BigIntegerField()
    day = models.DateField()
    alerts = models.JSONField()

    def __str__(self) -> str:
        return f"{self.key} at version {self.version} on {self.day}"
