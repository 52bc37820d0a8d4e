"""The history of an object on its page (the latest changes) and on a page of its own
(every change, a page at a time). Read through `lodestar.audit.history`; the object
itself is shown only to those who may see it, private objectives' names only to those
who may see them."""

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from lodestar.audit.history import PAGE_ROWS, Change, history_of
from lodestar.okrs.models import Cycle, KeyResult, Objective
from lodestar.org.models import Person, Unit
from lodestar.org.permissions import reader_for
from lodestar.strategy.models import Initiative, Measure, Scorecard, StrategicObjective

# The kind named in the URL → the model and the name of the object's own page.
KINDS: dict[str, tuple[type[models.Model], str]] = {
    "scorecards": (Scorecard, "scorecard"),
    "strategic-objectives": (StrategicObjective, "strategic-objective"),
    "measures": (Measure, "measure"),
    "initiatives": (Initiative, "initiative"),
    "units": (Unit, "unit"),
    "cycles": (Cycle, "cycle"),
    "objectives": (Objective, "objective"),
    "key-results": (KeyResult, "key-result"),
    "people": (Person, "person"),
}
KIND_OF = {model: kind for kind, (model, _) in KINDS.items()}
FULL_PAGE_ROWS = 50


@dataclass(frozen=True)
class ShownHistory:
    changes: list[Change]
    more_url: str  # the next (older) page, or ""


def shown_history(person: Person, obj: models.Model, *, page: int = 0) -> ShownHistory:
    """Page 0 is the object's own page (the latest changes); pages 1, 2… the history's."""
    rows = FULL_PAGE_ROWS if page else PAGE_ROWS
    history = history_of(
        obj,
        limit=rows,
        offset=max(page - 1, 0) * rows,
        # Only an objective points at other objectives (its parent), perhaps private ones.
        visible={Objective: reader_for(person).visible(Objective)}
        if isinstance(obj, Objective)
        else None,
    )
    more_url = ""
    if history.more:
        url = reverse("history", args=[KIND_OF[type(obj)], obj.pk])
        more_url = f"{url}?page={page + 1}"
    return ShownHistory(history.changes, more_url)


@login_required
def history(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    if kind not in KINDS:
        raise Http404
    model, page_name = KINDS[kind]
    obj = request.reader.load(model, pk)  # a hidden object's history is as missing as it
    text = request.GET.get("page", "1")
    page = int(text) if text.isdigit() and 0 < int(text) < 10**6 else 1
    return render(
        request,
        "web/history.html",
        {
            "item": obj,
            "item_url": reverse(page_name, args=[obj.pk]),
            "history": shown_history(request.user, obj, page=page),
            "page": page,
        },
    )
