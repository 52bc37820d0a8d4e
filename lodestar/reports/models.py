"""Leaders' commentary on a quarter, one text per perspective, written on the review page."""

from django.conf import settings
from django.db import models

from lodestar.okrs.models import Cycle
from lodestar.strategy.models import Perspective


class ReviewComment(models.Model):
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="review_comments")
    perspective = models.ForeignKey(
        Perspective, on_delete=models.CASCADE, related_name="review_comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "perspective"], name="one_review_comment_per_perspective"
            )
        ]

    def __str__(self) -> str:
        return f"{self.cycle} · {self.perspective}"


class ReviewSnapshot(models.Model):
    """A closed quarter's review as it stood when the cycle closed: the strategy's figures
    as of the cycle's end, the gaps and the statistics (`reports.frozen` writes and reads
    `figures`). Shared figures count public objectives only; the one part about a private
    objective (its gap) names that objective, so each reader is shown it only if they may
    see the objective. Leaders' commentary, grades and retrospectives stay live."""

    cycle = models.OneToOneField(Cycle, on_delete=models.CASCADE, related_name="review_snapshot")
    as_of = models.DateField()  # the figures' day: the cycle's end, or the day it closed early
    # None: taken afterwards for a cycle closed before reviews were kept (as of its end)
    closed_on = models.DateField(null=True, blank=True)
    taken_at = models.DateTimeField(auto_now_add=True)
    figures = models.JSONField()

    def __str__(self) -> str:
        return f"Review of {self.cycle} as of {self.as_of}"
