"""Writes of the review: the leaders' commentary per perspective."""

from django.core.exceptions import ValidationError

from lodestar.okrs.models import Cycle
from lodestar.org.acting import Actor, service
from lodestar.org.permissions import Action, require
from lodestar.reports.models import ReviewComment
from lodestar.strategy.models import Perspective


@service
def review_comment_write(
    *, acting: Actor, cycle: Cycle, perspective: Perspective, text: str
) -> ReviewComment | None:
    """Write (or, with empty text, remove) the commentary on a perspective for a cycle;
    the right of those who run the cycle's review."""
    require(acting, Action.REVIEW, cycle)
    text = (text or "").strip()
    if len(text) > 5000:
        raise ValidationError({"text": ["At most 5000 characters."]})
    if not text:
        ReviewComment.objects.filter(cycle=cycle, perspective=perspective).delete()
        return None
    comment, _ = ReviewComment.objects.update_or_create(
        cycle=cycle, perspective=perspective, defaults={"text": text, "author": acting}
    )
    return comment
