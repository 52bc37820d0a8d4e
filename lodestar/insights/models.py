"""Figures kept in the database (see `insights.kept`), fresh while no change in their
scope (`org.Change`) is newer. In the database, not in a process, so that every app
server reads and refreshes the same rows."""

from django.db import models


class InsightCache(models.Model):
    key = models.CharField(max_length=200, unique=True)
    through = models.BigIntegerField()  # the newest change when its computation began
    computed_at = models.DateTimeField()  # when it began: what the pages say ("as of")
    units = models.TextField(blank=True)  # its scope's units as a pattern; "" the company
    payload = models.BinaryField()  # the pickled value
    # Claimed by the one computation of its new value (a lease, so a refresher that dies
    # lets go): the others serve this one meanwhile.
    refreshing_until = models.DateTimeField(null=True, blank=True)
    # How to compute it again (`kept.recipe`): a run that changed everything warms it.
    recipe = models.JSONField(default=dict, blank=True)

    def __str__(self) -> str:
        return f"{self.key} through change {self.through}"


class AlertSnooze(models.Model):
    """One person's snooze of one alert (its kind and the page of its subject name it),
    in force until `until` (None: no end date) and only while the alert's sentence is the
    one snoozed (`digest`): a changed alert shows again. It hides the alert from that
    person only, and says nothing to anyone else."""

    person = models.ForeignKey("org.Person", on_delete=models.CASCADE, related_name="alert_snoozes")
    kind = models.CharField(max_length=60)
    url = models.CharField(max_length=300)
    digest = models.CharField(max_length=64)
    until = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "kind", "url"], name="one_snooze_per_person_and_alert"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person_id} snoozed {self.kind} {self.url}"
