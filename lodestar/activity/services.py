"""The one write of the feed: following an object, or no longer following it. It
changes only what one person's feed shows, never the organisation's data."""

from django.db import models

from lodestar.activity.models import Follow
from lodestar.activity.selectors import followable_of
from lodestar.org.acting import Actor, personal_service
from lodestar.org.permissions import Action, require


@personal_service
def follow_set(*, acting: Actor, target: models.Model, following: bool) -> Follow:
    """Follow `target` (or stop); kept as a row even when it matches what one would
    follow anyway, so that stopping to follow what one owns holds."""
    require(acting, Action.VIEW, target)  # nobody learns of an object by following it
    follow, _ = Follow.objects.update_or_create(
        person=acting, **{followable_of(target).field: target}, defaults={"following": following}
    )
    return follow
