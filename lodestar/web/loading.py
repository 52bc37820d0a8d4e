"""The one way a page loads the object its URL names, with the API's verdicts
(`api.crud`: `Entity.get` then `require`): 404 when there is no such object or the person
may not see it (a private objective's existence is not told either), 403 when they may
see it but not do `action` to it."""

from typing import TypeVar

from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from lodestar.org.permissions import Action, can, require

M = TypeVar("M", bound=Model)


def load(
    request: HttpRequest,
    source: type[M] | QuerySet[M],
    pk: int,
    action: Action = Action.VIEW,
    **lookups,
) -> M:
    """The object `pk` of `source` (a model, or a queryset with its select_related), if
    the signed-in person may see it and do `action` to it."""
    found = get_object_or_404(source, pk=pk, **lookups)
    if not can(request.user, Action.VIEW, found):
        raise Http404
    if action != Action.VIEW:
        require(request.user, action, found)
    return found
