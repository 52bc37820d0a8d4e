"""The one way a page loads the object its URL names: the reader's (`Reader.load`), with
the API's verdicts: 404 when there is no such object or the person may not see it (a
private objective's existence is not told either), 403 when they may see it but not do
`action` to it."""

from typing import TypeVar

from django.db.models import Model, QuerySet
from django.http import HttpRequest

from lodestar.org.permissions import Action

M = TypeVar("M", bound=Model)


def load(
    request: HttpRequest, source: type[M] | QuerySet[M], pk: int, action: Action = Action.VIEW
) -> M:
    """The object `pk` of `source` (a model, or a queryset with its select_related), if
    the signed-in person may see it and do `action` to it."""
    return request.reader.load(source, pk, action)
