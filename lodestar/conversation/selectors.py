"""Reading threads: the objects that carry one (by the slug pages and the API name them
with) and a thread as the reader may see it."""

from dataclasses import dataclass

from django.db import models
from django.db.models import Q, QuerySet

from lodestar.conversation.models import Comment
from lodestar.okrs.models import KeyResult, Objective
from lodestar.org.models import Person
from lodestar.org.permissions import Action, reader_for
from lodestar.strategy.models import Initiative, Measure, StrategicObjective

# How many people the completion offers at once.
SUGGESTIONS = 8


@dataclass(frozen=True)
class Kind:
    slug: str  # in paths: /objectives/7/comments
    field: str  # the comment's foreign key
    model: type[models.Model]
    page: str  # the object's page (URL name)


KINDS = {
    kind.slug: kind
    for kind in (
        Kind("objectives", "objective", Objective, "objective"),
        Kind("key-results", "key_result", KeyResult, "key-result"),
        Kind(
            "strategic-objectives", "strategic_objective", StrategicObjective, "strategic-objective"
        ),
        Kind("measures", "measure", Measure, "measure"),
        Kind("initiatives", "initiative", Initiative, "initiative"),
    )
}


def kind_of(target: models.Model) -> Kind:
    return next(kind for kind in KINDS.values() if isinstance(target, kind.model))


def thread(person: Person, target: models.Model) -> QuerySet[Comment]:
    """The comments on `target`, oldest first; none unless `person` may see it."""
    kind = kind_of(target)
    return (
        reader_for(person)
        .visible(Comment)
        .filter(**{kind.field: target})
        .select_related("author", "checkin", "measure_value")
    )


def mentionable(person: Person, target: models.Model, text: str) -> list[Person]:
    """Active people whose username or name starts with `text` (a word of it) and who may
    see `target`: those a mention would reach."""
    text = text.strip().lstrip("@")
    words = Q()
    for word in text.split()[:3]:
        words &= (
            Q(username__istartswith=word)
            | Q(first_name__istartswith=word)
            | Q(last_name__istartswith=word)
        )
    found = []
    for candidate in Person.objects.filter(words, is_active=True).order_by("username")[:50]:
        if candidate.pk != person.pk and reader_for(candidate).can(Action.VIEW, target):
            found.append(candidate)
            if len(found) == SUGGESTIONS:
                break
    return found
