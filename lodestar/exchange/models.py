"""The stable keys of imported rows.

One mapping table rather than an `external_key` field on every model: the domain's
tables (and their migrations, which other work changes at the same time) stay as they
are, every sheet keys its rows the same way, and a key given by a spreadsheet or an
export names one object of one model for good.
"""

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
