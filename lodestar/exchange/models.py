"""The stable keys of imported rows.

One mapping table rather than an `external_key` field on every model: the domain's
tables (and their migrations, which other work changes at the same time) stay as they
are, every sheet keys its rows the same way, and a key given by a spreadsheet or an
export names one object of one model for good.
"""

from django.conf import settings
from django.db import models


class ImportKey(models.Model):
    model = models.CharField(max_length=50)  # the sheet's model label, e.g. "okrs.objective"
    key = models.CharField(max_length=200)
    object_id = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["model", "key"], name="import_key_once_per_model"),
            models.UniqueConstraint(
                fields=["model", "object_id"], name="import_key_one_per_object"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.model} {self.key} → {self.object_id}"


class ImportMapping(models.Model):
    """A named way to read spreadsheets of one shape (`exchange.mapping.spec`): the
    installation's, so that whoever imports the next export of the same tool reuses it;
    replaced or removed by the person who saved it or an admin."""

    name = models.CharField(max_length=100, unique=True)
    spec = models.JSONField()  # the mapping's JSON form
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    saved_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
