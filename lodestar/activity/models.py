"""Who follows what. The feed itself keeps no rows of its own: it reads the check-ins,
comments, measure values and history entries that already exist (`activity.selectors`),
so it can never disagree with them nor miss what was written before it existed.

A follow names its object by one explicit foreign key of five, as a comment does: the
database cascades a deleted object's follows, and each key's unique constraint keeps one
row per person and object.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

FOLLOWED = ("objective", "key_result", "strategic_objective", "measure", "unit")


def only(target: str) -> Q:
    condition = Q(**{f"{target}__isnull": False})
    for other in FOLLOWED:
        if other != target:
            condition &= Q(**{f"{other}__isnull": True})
    return condition


def exactly_one_target() -> Q:
    condition = only(FOLLOWED[0])
    for target in FOLLOWED[1:]:
        condition |= only(target)
    return condition


class Follow(models.Model):
    """One person's choice about one object. A person follows what they own and what they
    commented on without a row; `following=False` is how they stop following that."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows"
    )
    objective = models.ForeignKey(
        "okrs.Objective", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    key_result = models.ForeignKey(
        "okrs.KeyResult", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    strategic_objective = models.ForeignKey(
        "strategy.StrategicObjective",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    measure = models.ForeignKey(
        "strategy.Measure", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    unit = models.ForeignKey(
        "org.Unit", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    following = models.BooleanField(default=True)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=exactly_one_target(), name="follow_one_object"),
            *(
                models.UniqueConstraint(fields=["person", name], name=f"one_follow_per_{name}")
                for name in FOLLOWED
            ),
        ]

    def __str__(self) -> str:
        verb = "follows" if self.following else "stopped following"
        return f"{self.person} {verb} {self.target}"

    @property
    def target(self) -> models.Model:
        return next(getattr(self, name) for name in FOLLOWED if getattr(self, f"{name}_id"))
