"""Comments on the objects people review, the people they mention, and the notices owed
to those people (an outbox a worker sends as one digest a quarter hour).

A comment names its object by one explicit foreign key of five, not a generic relation:
the permission layer then asks the object's own rule through a plain attribute, the list
rule is five joins on the objects' own list rules, and deleting an object deletes its
thread with it (the database's cascade, not a signal).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

# The words of one comment, at most: a long message belongs in a document, linked.
COMMENT_LENGTH = 5000

TARGETS = ("objective", "key_result", "strategic_objective", "measure", "initiative")


def only(target: str) -> Q:
    """The condition that `target` is the one object set."""
    condition = Q(**{f"{target}__isnull": False})
    for other in TARGETS:
        if other != target:
            condition &= Q(**{f"{other}__isnull": True})
    return condition


def exactly_one_target() -> Q:
    condition = only(TARGETS[0])
    for target in TARGETS[1:]:
        condition |= only(target)
    return condition


class Comment(models.Model):
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(max_length=COMMENT_LENGTH, blank=True)
    objective = models.ForeignKey(
        "okrs.Objective", null=True, blank=True, on_delete=models.CASCADE, related_name="comments"
    )
    key_result = models.ForeignKey(
        "okrs.KeyResult", null=True, blank=True, on_delete=models.CASCADE, related_name="comments"
    )
    # A reply to one check-in of the key result.
    checkin = models.ForeignKey(
        "okrs.CheckIn", null=True, blank=True, on_delete=models.CASCADE, related_name="comments"
    )
    strategic_objective = models.ForeignKey(
        "strategy.StrategicObjective",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="comments",
    )
    measure = models.ForeignKey(
        "strategy.Measure", null=True, blank=True, on_delete=models.CASCADE, related_name="comments"
    )
    # On one period's value of the measure.
    measure_value = models.ForeignKey(
        "strategy.MeasureValue",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="comments",
    )
    initiative = models.ForeignKey(
        "strategy.Initiative",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="comments",
    )
    reply_to = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="replies"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    # A deleted comment stays in its thread as "comment deleted", its words gone.
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=exactly_one_target(), name="comment_one_object"),
            models.CheckConstraint(
                condition=Q(checkin__isnull=True) | Q(key_result__isnull=False),
                name="comment_checkin_on_key_result",
            ),
            models.CheckConstraint(
                condition=Q(measure_value__isnull=True) | Q(measure__isnull=False),
                name="comment_value_on_measure",
            ),
        ]

    def __str__(self) -> str:
        return f"Comment {self.pk} by {self.author} on {self.target}"

    @property
    def target(self) -> models.Model:
        """The object commented on (its rule says who sees the comment)."""
        return next(getattr(self, name) for name in TARGETS if getattr(self, f"{name}_id"))

    @property
    def deleted(self) -> bool:
        return self.deleted_at is not None


class Mention(models.Model):
    """A person named in a comment, and whether they may see it (else nobody was told)."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="mentions")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reaches = models.BooleanField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["comment", "person"], name="one_mention_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.person} in comment {self.comment_id}"


class CommentNotice(models.Model):
    """One comment owed to one person, written with the comment (an outbox); sent with the
    others pending for that person as one digest (`conversation.notices`)."""

    class Reason(models.TextChoices):
        MENTION = "mention", "mentioned you"
        REPLY = "reply", "replied to you"
        OWNED = "owned", "commented on what you own"

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="notices")
    reason = models.CharField(max_length=10, choices=Reason.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["person", "comment"], name="one_notice_per_comment")
        ]
        indexes = [models.Index(fields=["sent_at", "created_at"])]

    def __str__(self) -> str:
        return f"{self.person}: comment {self.comment_id} ({self.reason})"
