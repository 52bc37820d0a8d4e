"""OKR pages: the alignment tree, cycles, an objective, a key result with its check-ins,
"my key results" and a person. Reads come from `lodestar.okrs.selectors`, the check-in
goes through `lodestar.okrs.services.checkin_create`."""

from collections.abc import Iterator

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from lodestar.insights import forecast
from lodestar.notify.owed import due_measure_values, owed_by
from lodestar.okrs import selectors as okr_selectors
from lodestar.okrs import services as okr_services
from lodestar.okrs.models import CheckIn, Cycle, KeyResult, Objective
from lodestar.okrs.services import checkin_create
from lodestar.org.models import Membership, Person, Unit
from lodestar.org.permissions import Action, can, reader_for
from lodestar.scores.figures import key_result_style
from lodestar.scores.words import pace_word
from lodestar.scoring.numbers import FigureStyle
from lodestar.web.cycles import chosen_cycle
from lodestar.web.forms import run_service
from lodestar.web.forms.okrs import CheckInForm, GradeForm, TreeFilterForm, grade_form
from lodestar.web.loading import load
from lodestar.web.pagedata import okrs as selectors
from lodestar.web.pagedata.okr_units import UnitRow, tree_by_unit, unit_branch
from lodestar.web.svg.progress_chart import ForecastLine, progress_chart
from lodestar.web.views.edit_okrs import may_write_objectives
from lodestar.web.views.history import shown_history


@login_required
def okr_tree(request: HttpRequest) -> HttpResponse:
    """Unfiltered, the tree by unit: the reader's own objectives and the units from the
    company down to theirs opened, every other unit a summary row whose branch loads on
    demand (`okr_unit`); filtered, the matching objectives with their ancestors."""
    cycle = chosen_cycle(request)
    form = TreeFilterForm(request.GET or None)
    filters = selectors.TreeFilters()
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.TreeFilters(
            unit_id=data["unit"].pk if data["unit"] else None,
            owner_id=data["owner"].pk if data["owner"] else None,
            status=data["status"],
        )
    context = {
        "cycle": cycle,
        "form": form,
        "filtered": filters.active,
        "may_add_okr": may_write_objectives(request.user),
    }
    if cycle and filters.active:
        roots, matched = selectors.filtered_tree(request.user, cycle, filters)
        attach_forecasts([row for node in walk(roots) for row in node.key_results])
        context.update(
            roots=roots,
            rows=selectors.tree_rows(roots),
            matched=matched,
            capped=matched > selectors.MATCHES_SHOWN,
            shown=selectors.MATCHES_SHOWN,
        )
    elif cycle:
        found = tree_by_unit(request.user, cycle)
        attach_forecasts(key_result_rows_of(found.own, *found.units))
        context.update(units=found.units, own=found.own)
    return render(request, "web/okr_tree.html", context)


@login_required
def okr_unit(request: HttpRequest, pk: int) -> HttpResponse:
    """One unit's branch of the tree: its objectives and its sub-units' summary rows, for
    the tree's script to put in place (header X-Lodestar-Fragment), else as a page of
    its own."""
    unit = load(request, Unit, pk)
    cycle = chosen_cycle(request)
    branch = unit_branch(request.user, cycle, unit) if cycle else None
    if branch:
        attach_forecasts(key_result_rows_of(branch.rows, *branch.units))
    context = {"unit": branch, "units": [branch] if branch else [], "cycle": cycle, "named": unit}
    if request.headers.get("X-Lodestar-Fragment"):
        return render(request, "web/_unit_branch.html", context)
    return render(request, "web/okr_unit.html", context)


def key_result_rows_of(
    rows: list[selectors.TreeRow], *units: UnitRow
) -> list[selectors.KeyResultRow]:
    """The key result rows of the objective rows, and of the opened units' rows below."""
    found = [kr for row in rows for kr in row.node.key_results]
    for unit in units:
        found += key_result_rows_of(unit.rows, *unit.units)
    return found


@login_required
def okr_branch(request: HttpRequest, pk: int) -> HttpResponse:
    """The sub-objectives of one objective: as rows for the tree's script to put in place
    (header X-Lodestar-Fragment), else as a page of their own."""
    objective = load(request, Objective, pk)
    roots = selectors.okr_branch(request.user, objective)
    attach_forecasts([row for node in walk(roots) for row in node.key_results])
    context = {"objective": objective, "rows": selectors.tree_rows(roots)}
    if request.headers.get("X-Lodestar-Fragment"):
        return render(request, "web/_tree_rows.html", context)
    return render(request, "web/okr_branch.html", context)


def walk(nodes: list[selectors.ObjectiveNode]) -> Iterator[selectors.ObjectiveNode]:
    for node in nodes:
        yield node
        yield from walk(node.children)


def attach_forecasts(rows: list[selectors.KeyResultRow]) -> None:
    """Each row's forecast to the cycle end, as its key result keeps it."""
    found = forecast.key_result_forecasts({row.key_result for row in rows})
    for row in rows:
        row.forecast = found[row.key_result.pk]


@login_required
def cycle_list(request: HttpRequest) -> HttpResponse:
    context = {"cycles": Cycle.objects.all(), "may_add": can(request.user, Action.CHANGE, Cycle())}
    return render(request, "web/cycle_list.html", context)


REVIEW_ROWS = 100  # objectives per page of a cycle review (by unit, then title)


def cycle_page(
    request: HttpRequest, cycle: Cycle, bound: GradeForm | None = None, bound_pk: int = 0
) -> dict:
    asked = int(request.GET["page"]) if request.GET.get("page", "").isdigit() else 1
    review = selectors.cycle_review(
        request.user,
        cycle,
        page_size=REVIEW_ROWS,
        page=asked,
        # the page that holds the objective shown with its errors
        holding=bound_pk if bound is not None else None,
    )
    page, shown = review.page, review.rows
    forms_by_pk = {row.objective.pk: grade_form(row.objective) for row in shown if row.may_grade}
    if bound is not None:
        forms_by_pk[bound_pk] = bound  # shown with its errors, even in planning
    rows = [(row, forms_by_pk.get(row.objective.pk)) for row in shown]
    may_change = can(request.user, Action.CHANGE, cycle)
    may_review = can(request.user, Action.REVIEW, cycle)
    today = timezone.localdate()
    return {
        "cycle": cycle,
        "history": shown_history(request.user, cycle),
        "review": review,
        "rows": rows,
        "objective_count": review.count,
        "previous_page": page - 1 if page > 1 else None,
        "next_page": page + 1 if page * REVIEW_ROWS < review.count else None,
        "graded": cycle.state != Cycle.State.PLANNING,
        "may_change": may_change,
        "may_activate": may_review and cycle.state == Cycle.State.PLANNING,
        "may_close": may_review and cycle.state == Cycle.State.ACTIVE,
        "early_activation": today < cycle.start,
        "early_close": today < cycle.end,
        "bound_pk": bound_pk,
    }


@login_required
def cycle(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = load(request, Cycle, pk)
    switched = chosen_cycle(request)
    if "cycle" in request.GET and switched and switched.pk != cycle.pk:  # the top bar's menu
        return redirect("cycle", switched.pk)
    return render(request, "web/cycle.html", cycle_page(request, cycle))


@require_POST
@login_required
def objective_grade(request: HttpRequest, pk: int) -> HttpResponse:
    objective = load(
        request, Objective.objects.select_related("cycle", "owner__manager"), pk, Action.GRADE
    )
    form = grade_form(objective, request.POST)
    graded = form.is_valid() and run_service(
        form,
        lambda: okr_services.objective_grade(
            acting=request.user, objective=objective, **form.cleaned_data
        ),
    )
    if graded:
        messages.success(request, f"Graded “{objective}”.")
        return redirect(f"{reverse('cycle', args=[objective.cycle_id])}#objective-{pk}")
    context = cycle_page(request, objective.cycle, form, pk)
    return render(request, "web/cycle.html", context, status=400)


@login_required
def objective(request: HttpRequest, pk: int) -> HttpResponse:
    objective = load(
        request,
        selectors.with_rows(Objective.objects).select_related("owner__manager", "cycle"),
        pk,
    )
    node = selectors.objective_node(objective, objective.cycle, timezone.now())
    attach_forecasts(node.key_results)
    held = [(h.key_result, h.weight) for h in objective.holdings.all()]
    by_key_result = {row.key_result.pk: row.forecast for row in node.key_results}
    parent = objective.parent
    children = (
        okr_selectors.visible_objectives(request.user)
        .filter(parent=objective)
        .select_related("owner", "unit")
    )
    return render(
        request,
        "web/objective.html",
        {
            "cycle": objective.cycle,
            "objective": objective,
            "history": shown_history(request.user, objective),
            "node": node,
            "parent": parent if parent and can(request.user, Action.VIEW, parent) else None,
            "children": [(c, selectors.okr_colour_of(c.score)) for c in children],
            "may_change": objective.cycle.takes_writes
            and can(request.user, Action.CHANGE, objective),
            "may_grade": can(request.user, Action.GRADE, objective),
            "forecast": forecast.held_forecast(objective, held, by_key_result),
        },
    )


def key_result_context(request: HttpRequest, pk: int) -> dict:
    key_result = load(
        request,
        KeyResult.objects.select_related("cycle", "owner", "linked_measure").prefetch_related(
            Prefetch("okr_objectives", queryset=Objective.objects.select_related("owner__manager"))
        ),
        pk=pk,
    )
    now = timezone.now()
    cycle = key_result.cycle
    checkins = list(key_result.checkins.select_related("author").order_by("-created_at"))
    style = key_result_style(key_result, [c.value for c in checkins])
    found = forecast.key_result_forecast(key_result, cycle, checkins[::-1])
    chart = progress_chart(
        checkins=[(timezone.localdate(c.created_at), c.value) for c in reversed(checkins)],
        forecast=forecast_line(found, checkins[-1] if checkins else None),
        baseline=key_result.baseline,
        target=key_result.target,
        start=cycle.start,
        end=cycle.end,
        today=timezone.localdate(now),
        style=style,
        title=key_result.title,
    )
    holders = okr_selectors.visible_objectives(request.user).filter(holdings__key_result=key_result)
    return {
        "cycle": cycle,
        "key_result": key_result,
        "history": shown_history(request.user, key_result),
        "row": selectors.key_result_row(key_result, cycle, now),
        "shown": shown_values(key_result, style),
        "chart": mark_safe(chart),  # every text in it is escaped by progress_chart
        "holders": list(holders.order_by("title")),
        "checkins": [(c, style.show(c.value)) for c in checkins],
        "forecast": found,
        "forecast_shown": forecast_values(found, style),
        "may_check_in": cycle.takes_writes and can(request.user, Action.CHECK_IN, key_result),
        "may_change": cycle.takes_writes and can(request.user, Action.CHANGE, key_result),
        "form": CheckInForm(
            key_result=key_result,
            initial={
                "value": key_result.current,
                "done": (key_result.progress or 0) >= 1,
                "confidence": key_result.latest_confidence,
            },
        ),
    }


def forecast_line(found: forecast.KeyResultForecast, first: CheckIn | None) -> ForecastLine | None:
    trend = found.forecast
    if not trend.available or first is None:
        return None
    # The engine counts days from the check-ins' own (UTC) dates; the line starts there.
    return ForecastLine(first.created_at.date(), trend.value, trend.slope, trend.low, trend.high)


def forecast_values(found: forecast.KeyResultForecast, style: FigureStyle) -> dict[str, str] | None:
    """The forecast's figures as the key result's own are written (the unit once, on the
    value: "82 users (between 71 and 93)"), None without one."""
    trend = found.forecast
    if not trend.available:
        return None
    return {
        "value": style.show(trend.value),
        "low": style.bare.show(trend.low),
        "high": style.bare.show(trend.high),
    }


def shown_values(key_result: KeyResult, style: FigureStyle | None = None) -> dict[str, str]:
    style = style or key_result_style(key_result)
    names = ("baseline", "target", "current")
    return {name: style.show(getattr(key_result, name)) for name in names}


@login_required
def key_result(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "web/key_result.html", key_result_context(request, pk))


def wants_json(request: HttpRequest) -> bool:
    return request.headers.get(
        "X-Requested-With"
    ) == "fetch" or "application/json" in request.headers.get("Accept", "")


@require_POST
@login_required
def checkin(request: HttpRequest, pk: int) -> HttpResponse:
    key_result = load(
        request,
        KeyResult.objects.select_related("cycle").prefetch_related(
            Prefetch("okr_objectives", queryset=Objective.objects.select_related("owner__manager"))
        ),
        pk,
        Action.CHECK_IN,
    )
    form = CheckInForm(request.POST, key_result=key_result)
    saved = form.is_valid() and run_service(
        form,
        lambda: checkin_create(
            acting=request.user, key_result=key_result, author=request.user, **form.cleaned_data
        ),
    )
    if saved:
        return checked_in(request, saved.key_result)
    if wants_json(request):
        return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
    context = key_result_context(request, pk)
    context["form"] = form
    return render(request, "web/key_result.html", context, status=400)


def checked_in(request: HttpRequest, key_result: KeyResult) -> HttpResponse:
    row = selectors.key_result_row(key_result, key_result.cycle, timezone.now())
    score = "no score" if key_result.score is None else f"{key_result.score:.2f}"
    message = f"Checked in on “{key_result}”: score {score} ({row.colour}), {pace_word(row.pace)}."
    if wants_json(request):
        return JsonResponse(
            {
                "message": message,
                "score": key_result.score,
                "colour": row.colour,
                "progress": key_result.progress,
                "pace": row.pace.value,
                "pace_label": pace_word(row.pace),
                "current": key_result.current,
                "current_label": key_result_style(key_result).show(key_result.current),
                "confidence": key_result.latest_confidence,
                "last_checkin_label": date_filter(key_result.last_checkin_at, "j M"),  # as the page
            }
        )
    messages.success(request, message)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("key-result", args=[key_result.pk])
    return redirect(target)


@login_required
def my_key_results(request: HttpRequest) -> HttpResponse:
    cycle = chosen_cycle(request)
    rows = selectors.my_key_results(request.user, cycle) if cycle else []
    access = reader_for(request.user)
    return render(
        request,
        "web/my_key_results.html",
        {
            "cycle": cycle,
            "rows": [(row, shown_values(row.key_result)) for row in rows],
            "needing": sum(row.needs_checkin for row in rows),
            "owed": owed_by(request.user, rows=rows),
            # The strategy office chases every owner's overdue values.
            "overdue_values": (
                due_measure_values(timezone.localdate())
                if access.is_strategy_office or access.is_admin
                else []
            ),
        },
    )


@login_required
def person(request: HttpRequest, pk: int) -> HttpResponse:
    shown = load(request, Person.objects.select_related("manager").filter(is_active=True), pk)
    cycle = chosen_cycle(request)
    now = timezone.now()
    objectives, rows = [], []
    if cycle:
        objectives = [
            selectors.objective_node(o, cycle, now)
            for o in selectors.cycle_objectives(request.user, cycle).filter(owner=shown)
        ]
        key_results = (
            okr_selectors.visible_key_results(request.user)
            .filter(owner=shown, cycle=cycle)
            .order_by("title")
        )
        rows = [selectors.key_result_row(kr, cycle, now) for kr in key_results]
    return render(
        request,
        "web/person.html",
        {
            "cycle": cycle,
            "shown": shown,
            "history": shown_history(request.user, shown),
            "memberships": Membership.objects.filter(person=shown).select_related("unit"),
            "objectives": objectives,
            "rows": rows,
            "summary": selectors.person_summary(request.user, shown, rows, objectives, now),
        },
    )
