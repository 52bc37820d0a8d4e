"""Create, edit and delete pages of the OKRs, and the buttons that open and close a
cycle. Private objectives answer 404 to those who may not see them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from lodestar.okrs import services
from lodestar.okrs.closing import next_cycle_proposal
from lodestar.okrs.models import Cycle, KeyResult, Objective
from lodestar.okrs.selectors import active_cycle, visible_key_results, visible_objectives
from lodestar.org.models import Person, Unit
from lodestar.org.permissions import Action, can, reader_for, require
from lodestar.strategy.models import Measure
from lodestar.validation import parse_id
from lodestar.web.forms.okrs import (
    CycleForm,
    HoldKeyResultForm,
    KeyResultForm,
    NewKeyResultForm,
    ObjectiveForm,
)
from lodestar.web.forms.pages import Page, delete_page, form_page, posted, url, with_query
from lodestar.web.loading import load

# What each page loads with its object.
OBJECTIVES = Objective.objects.select_related("cycle", "unit", "owner", "parent")
KEY_RESULTS = KeyResult.objects.select_related("cycle", "owner", "linked_measure")


def okr_crumbs(*objects) -> list[tuple[str, str]]:
    names = {Cycle: "cycle", Objective: "objective", KeyResult: "key-result"}
    return [("OKRs", reverse("okr-tree"))] + [
        (str(obj), url(names[type(obj)], obj)) for obj in objects
    ]


# Cycles -------------------------------------------------------------------------------


@login_required
def cycle_new(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.CHANGE, Cycle())
    proposal = next_cycle_proposal()
    return form_page(
        request,
        CycleForm(posted(request), initial=vars(proposal)),
        Page("New cycle", reverse("cycle-list"), [("Cycles", reverse("cycle-list"))]),
        write=lambda data: services.cycle_create(acting=request.user, **data),
        done=lambda saved: url("cycle", saved),
        message="Created the cycle “{}”; it is in planning until you activate it.",
    )


@login_required
def cycle_edit(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = load(request, Cycle, pk, Action.CHANGE)
    form = CycleForm(posted(request), initial=CycleForm.initial_from(cycle))
    actions = {
        Cycle.State.PLANNING: [("Activate", url("cycle-activate", cycle))],
        Cycle.State.ACTIVE: [("Close", url("cycle-close", cycle))],
        Cycle.State.CLOSED: [],
    }[cycle.state]
    page = Page(
        f"Edit cycle {cycle}",
        url("cycle", cycle),
        [("Cycles", reverse("cycle-list")), (str(cycle), url("cycle", cycle))],
        delete=url("cycle-delete", cycle),
        actions=actions,
    )
    return form_page(
        request,
        form,
        page,
        write=lambda data: services.cycle_update(
            acting=request.user, cycle=cycle, **form.changes()
        ),
        done=lambda saved: url("cycle", saved),
        message="Saved the cycle “{}”.",
        context={"cycle": cycle},
    )


def cycle_step(request: HttpRequest, pk: int, step, done: str) -> HttpResponse:
    cycle = load(request, Cycle, pk, Action.REVIEW)
    try:
        step(acting=request.user, cycle=cycle, reason=request.POST.get("reason", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done.format(cycle))
    return redirect("cycle", cycle.pk)


@require_POST
@login_required
def cycle_activate(request: HttpRequest, pk: int) -> HttpResponse:
    return cycle_step(
        request,
        pk,
        services.cycle_activate,
        "Activated “{}”; a cycle running before it is now closed.",
    )


@require_POST
@login_required
def cycle_close(request: HttpRequest, pk: int) -> HttpResponse:
    return cycle_step(
        request, pk, services.cycle_close, "Closed “{}”; scores were kept as final grades."
    )


@login_required
def cycle_delete(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = load(request, Cycle, pk, Action.CHANGE)
    return delete_page(
        request,
        cycle,
        Page(f"Delete cycle {cycle}", url("cycle", cycle)),
        delete=lambda: services.cycle_delete(acting=request.user, cycle=cycle),
        done=reverse("cycle-list"),
        consequence="Only a cycle without objectives can be deleted.",
    )


# Objectives ---------------------------------------------------------------------------
def okr_units(person: Person, keep: Unit | None = None) -> QuerySet[Unit]:
    """Units the person may write OKR objectives for (one query), and the current one."""
    access = reader_for(person)
    allowed = [unit.pk for unit in Unit.objects.all() if access.can(Action.ADD_OKR, unit)]
    return Unit.objects.filter(pk__in=allowed + ([keep.pk] if keep else []))


def may_write_objectives(person: Person, units: QuerySet[Unit] | None = None) -> bool:
    """Whether "New objective" leads anywhere: a unit's OKR or one's own personal one."""
    units = okr_units(person) if units is None else units
    return units.exists() or can(person, Action.ADD_OKR, person)


def parents_in(person: Person, cycle_id) -> QuerySet[Objective]:
    """Parents an objective may have: visible objectives of the same cycle."""
    if parse_id(cycle_id) is None:
        return Objective.objects.none()
    return visible_objectives(person).filter(cycle_id=parse_id(cycle_id))


def home_unit(person: Person, units: QuerySet[Unit]) -> int | None:
    """The unit a person's objectives are usually for, among those they may write for:
    one they lead, else one they belong to (from the memberships already read for the
    permission layer, no query of its own)."""
    access = reader_for(person)
    theirs = [unit.pk for unit in units if unit.pk in access.member_units]
    return min(theirs, key=lambda pk: (not access.leads(pk), pk), default=None)


def objective_prefill(request: HttpRequest, units: QuerySet[Unit]) -> dict:
    """`?cycle=`, `?unit=`, `?parent=`, `?contributes_to=` (repeatable) from links on
    other pages; a parent brings its cycle and unit along. Without them: the active
    cycle, the person's own unit and the person as owner."""
    query = request.GET
    active = active_cycle()
    initial = {
        "cycle": query.get("cycle") or (active and active.pk),
        "unit": query.get("unit") or home_unit(request.user, units),
        "parent": query.get("parent"),
        "contributes_to": query.getlist("contributes_to"),
        "owner": request.user.pk,
        "weight": 1.0,
    }
    parent_id = parse_id(query.get("parent"))
    parent = parent_id and visible_objectives(request.user).filter(pk=parent_id).first()
    if parent:
        initial["cycle"] = parent.cycle_id
        initial["unit"] = query.get("unit") or parent.unit_id or initial["unit"]
    return initial


@login_required
def objective_new(request: HttpRequest) -> HttpResponse:
    units = okr_units(request.user)
    if not may_write_objectives(request.user, units):
        raise PermissionDenied
    initial = objective_prefill(request, units)
    cycle_id = request.POST.get("cycle") if request.method == "POST" else initial["cycle"]
    form = ObjectiveForm(
        posted(request),
        units=units,
        parents=parents_in(request.user, cycle_id),
        cycles=Cycle.objects.exclude(state=Cycle.State.CLOSED),
        initial=initial,
    )

    def write(data: dict) -> Objective:
        return services.objective_create(
            acting=request.user, **{**data, "contributes_to": list(data["contributes_to"])}
        )

    return form_page(
        request,
        form,
        Page("New objective", reverse("okr-tree"), okr_crumbs()),
        write=write,
        done=lambda saved: url("objective", saved),
        message="Created the objective “{}”.",
        # The next objective of the same cycle, unit and parent.
        another=lambda saved: with_query(
            reverse("objective-new"),
            cycle=saved.cycle_id,
            unit=saved.unit_id,
            parent=saved.parent_id,
        ),
    )


@login_required
def objective_edit(request: HttpRequest, pk: int) -> HttpResponse:
    objective = load(request, OBJECTIVES, pk, Action.CHANGE)
    parents = parents_in(request.user, objective.cycle_id).exclude(pk=objective.pk)
    form = ObjectiveForm(
        posted(request),
        units=okr_units(request.user, keep=objective.unit),
        parents=parents,
        owner=objective.owner,
        initial=ObjectiveForm.initial_from(objective),
    )

    def write(data: dict) -> Objective:
        changes = form.changes()
        chosen = changes.pop("contributes_to", None)
        return services.objective_update(
            acting=request.user,
            objective=objective,
            contributes_to=None if chosen is None else list(chosen),
            **changes,
        )

    page = Page(
        f"Edit {objective}",
        url("objective", objective),
        okr_crumbs(objective.cycle, objective),
        delete=url("objective-delete", objective),
    )
    return form_page(
        request,
        form,
        page,
        write=write,
        done=lambda saved: url("objective", saved),
        message="Saved the objective “{}”.",
        context={"cycle": objective.cycle},
    )


@login_required
def objective_delete(request: HttpRequest, pk: int) -> HttpResponse:
    objective = load(request, OBJECTIVES, pk, Action.DELETE)
    return delete_page(
        request,
        objective,
        Page(f"Delete {objective}", url("objective", objective)),
        delete=lambda: services.objective_delete(acting=request.user, objective=objective),
        done=reverse("okr-tree"),
        consequence="Key results that only it holds go with it.",
    )


# Key results --------------------------------------------------------------------------
def linkable_measures(person: Person, keep: Measure | None = None) -> QuerySet[Measure]:
    """Measures the person may link to a key result (whose check-ins then record them:
    the right to record values), and the one already linked (one query)."""
    access = reader_for(person)
    everything = Measure.objects.select_related("objective__scorecard")
    allowed = [measure.pk for measure in everything if access.can(Action.LINK, measure)]
    return Measure.objects.filter(pk__in=allowed + ([keep.pk] if keep else []))


@login_required
def key_result_new(request: HttpRequest, pk: int) -> HttpResponse:
    objective = load(request, OBJECTIVES, pk, Action.ADD)
    form = NewKeyResultForm(
        posted(request),
        linkable=linkable_measures(request.user),
        initial={"owner": request.user.pk, "baseline": 0, "target": 1},
    )
    page = Page(
        "New key result",
        url("objective", objective),
        okr_crumbs(objective),
        links=[("Hold an existing key result instead", url("key-result-hold", objective))],
    )
    return form_page(
        request,
        form,
        page,
        write=lambda data: services.key_result_create(
            acting=request.user, objective=objective, **data
        ),
        # Back to the objective, where its key results are read and the next one added.
        done=lambda saved: url("objective", objective),
        message="Created the key result “{}”.",
        context={"cycle": objective.cycle},
        another=lambda saved: url("key-result-new", objective),
    )


@login_required
def key_result_hold(request: HttpRequest, pk: int) -> HttpResponse:
    """Share a key result: this objective holds one that another objective already has."""
    objective = load(request, OBJECTIVES, pk, Action.ADD)
    shareable = (
        visible_key_results(request.user)
        .filter(cycle_id=objective.cycle_id)
        .exclude(holdings__objective=objective)
    )
    form = HoldKeyResultForm(posted(request), key_results=shareable, initial={"weight": 1.0})
    return form_page(
        request,
        form,
        Page("Hold an existing key result", url("objective", objective), okr_crumbs(objective)),
        write=lambda data: services.key_result_hold(
            acting=request.user, objective=objective, **data
        ),
        done=lambda holding: url("objective", objective),
        message="Shared: {}.",
        context={"cycle": objective.cycle},
    )


@login_required
def key_result_edit(request: HttpRequest, pk: int) -> HttpResponse:
    key_result = load(request, KEY_RESULTS, pk, Action.CHANGE)
    form = KeyResultForm(
        posted(request),
        linkable=linkable_measures(request.user, keep=key_result.linked_measure),
        owner=key_result.owner,
        initial=KeyResultForm.initial_from(key_result),
    )
    page = Page(
        f"Edit {key_result}",
        url("key-result", key_result),
        okr_crumbs(key_result.cycle, key_result),
        delete=url("key-result-delete", key_result),
    )
    return form_page(
        request,
        form,
        page,
        write=lambda data: services.key_result_update(
            acting=request.user, key_result=key_result, **form.changes()
        ),
        done=lambda saved: url("key-result", saved),
        message="Saved the key result “{}”.",
        context={"cycle": key_result.cycle},
    )


@login_required
def key_result_delete(request: HttpRequest, pk: int) -> HttpResponse:
    key_result = load(request, KEY_RESULTS, pk, Action.DELETE)
    return delete_page(
        request,
        key_result,
        Page(f"Delete {key_result}", url("key-result", key_result)),
        delete=lambda: services.key_result_delete(acting=request.user, key_result=key_result),
        done=reverse("okr-tree"),
        consequence="Its check-ins go with it, from every objective that holds it.",
    )
