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
