"""Strategy pages: scorecards, the strategy map, a strategic objective, a measure, an
initiative, the heat map and the units. Reads come from `lodestar.strategy.selectors`;
everything shown passes the permission layer and the OKR visibility selectors."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import slugify

from lodestar import scoring
from lodestar.okrs.selectors import visible_key_results, visible_objectives
from lodestar.org.models import Unit
from lodestar.org.permissions import Action, can, reader_for
from lodestar.scores.figures import measure_style
from lodestar.sources.models import DataSource
from lodestar.strategy.models import (
    CauseEffectLink,
    Initiative,
    Measure,
    Scorecard,
    StrategicObjective,
)
from lodestar.strategy.selectors import current_scorecards
from lodestar.web.cycles import chosen_cycle
from lodestar.web.loading import load
from lodestar.web.pagedata import strategy as selectors
from lodestar.web.views.alerts import alerts_context
from lodestar.web.views.display import (
    divergence_reading,
    execution_status,
    initiative_money,
    map_pictures,
    map_svg,
    measure_chart,
    measure_status,
    okr_status,
    progress_bar_svg,
    rollup_status,
    sparkline_svg,
)
from lodestar.web.views.history import shown_history


@login_required
def scorecard_list(request: HttpRequest) -> HttpResponse:
    scorecards = [
        s
        for s in Scorecard.objects.select_related("unit").order_by("unit__name", "-period_start")
        if can(request.user, Action.VIEW, s)
    ]
    for scorecard in scorecards:
        scorecard.status = rollup_status(scorecard.score)
        scorecard.execution_status = execution_status(scorecard.execution)
    return render(
        request,
        "web/scorecard_list.html",
        {
            "scorecards": scorecards,
            # A scorecard is added to a unit: offered when the person may do so for any.
            "may_add": any(can(request.user, Action.ADD, u) for u in Unit.objects.all()),
        },
    )


@login_required
def scorecard(request: HttpRequest, pk: int) -> HttpResponse:
    card = load(request, Scorecard.objects.select_related("unit"), pk)
    perspectives = selectors.scorecard_contents(card)
    user = request.user
    # Each row asks the permission layer itself; the selector wired the parents, so
    # asking costs no query.
    for perspective in perspectives:
        perspective.status = rollup_status(perspective.score)
        perspective.execution_status = execution_status(perspective.execution)
        perspective.may_change = can(user, Action.CHANGE, perspective)
        for objective in perspective.objective_list:
            objective.status = rollup_status(objective.performance)
            objective.execution_status = execution_status(objective.execution)
            objective.may_change = can(user, Action.CHANGE, objective)
            objective.may_add = can(user, Action.ADD, objective)
            for measure in objective.measure_list:
                measure.may_change = can(user, Action.CHANGE, measure)
                measure.display = measure_status(measure)
                measure.latest = measure.recent[-1] if measure.recent else None
                measure.figures = measure_style(measure, [v.actual for v in measure.recent])
                measure.trend = sparkline_svg(
                    [v.actual for v in measure.recent], f"{measure.name}: last 12 values"
                )
                measure.may_record = can(user, Action.ADD, measure)
    return render(
        request,
        "web/scorecard.html",
        {
            "scorecard": card,
            "nav_scorecard": card,
            "history": shown_history(request.user, card),
            "status": rollup_status(card.score),
            "execution_status": execution_status(card.execution),
            "perspectives": perspectives,
            "may_change": can(request.user, Action.CHANGE, card),
        },
    )


@login_required
def strategy_map(request: HttpRequest, pk: int) -> HttpResponse:
    card = load(request, Scorecard.objects.select_related("unit"), pk)
    perspectives, objectives, links = selectors.map_contents(card)
    return render(
        request,
        "web/strategy_map.html",
        {
            "scorecard": card,
            "nav_scorecard": card,
            "map": map_pictures(f"Strategy map of {card}", perspectives, objectives, links),
            "objectives": sorted(objectives, key=lambda o: (o.code, o.name)),
            "may_change": can(request.user, Action.CHANGE, card),
        },
    )


@login_required
def strategy_map_svg(request: HttpRequest, pk: int) -> HttpResponse:
    card = load(request, Scorecard.objects.select_related("unit"), pk)
    picture = map_svg(f"Strategy map of {card}", *selectors.map_contents(card))
    response = HttpResponse(
        '<?xml version="1.0" encoding="utf-8"?>\n' + picture, content_type="image/svg+xml"
    )
    filename = f"strategy-map-{slugify(str(card)) or card.pk}.svg"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def strategic_objective(request: HttpRequest, pk: int) -> HttpResponse:
    objective = load(
        request,
        StrategicObjective.objects.select_related(
            "scorecard__unit", "perspective", "owner", "parent__scorecard__unit"
        ),
        pk,
    )
    measures = list(objective.measures.select_related("owner"))
    values = selectors.recent_values([m.pk for m in measures])
    for measure in measures:
        measure.objective = objective
        measure.display = measure_status(measure)
        measure.latest = values.get(measure.pk, [None])[-1]
        measure.figures = measure_style(measure, [v.actual for v in values.get(measure.pk, [])])
        measure.chart = measure_chart(measure, values.get(measure.pk, []))
    initiatives = list(objective.initiatives.select_related("owner"))
    for initiative in initiatives:
        initiative.earned, initiative.variance = initiative_money(initiative)
        initiative.bar = progress_bar_svg(
            initiative.percent_complete,
            f"{initiative.name}: {initiative.percent_complete} % complete",
        )
    cycle = chosen_cycle(request)
    contributing = (
        list(
            visible_objectives(request.user)
            .filter(contributes_to=objective, cycle=cycle)
            .select_related("owner", "unit")
        )
        if cycle
        else []
    )
    for okr in contributing:
        okr.status = okr_status(okr.score)
    children = list(objective.children.select_related("scorecard__unit"))
    for child in children:
        child.status = rollup_status(child.performance)
    links_in = list(CauseEffectLink.objects.filter(effect=objective).select_related("cause"))
    links_out = list(CauseEffectLink.objects.filter(cause=objective).select_related("effect"))
    return render(
        request,
        "web/strategic_objective.html",
        {
            "objective": objective,
            "nav_scorecard": objective.scorecard,
            "history": shown_history(request.user, objective),
            "performance": rollup_status(objective.performance),
            "execution": execution_status(objective.execution),
            "performance_label": "Performance (measures and cascaded objectives)"
            if children
            else "Performance (measures)",
            "execution_label": f"Execution (OKRs of {cycle or 'the active cycle'})",
            "divergence": scoring.divergence(objective.performance, objective.execution),
            "reading": divergence_reading(objective.performance, objective.execution),
            "measures": measures,
            "initiatives": initiatives,
            "contributing": contributing,
            "cycle": cycle,
            "children": children,
            "links_in": links_in,
            "links_out": links_out,
            "may_change": can(request.user, Action.CHANGE, objective),
        },
    )


@login_required
def measure(request: HttpRequest, pk: int) -> HttpResponse:
    item = load(
        request,
        Measure.objects.select_related("objective__scorecard__unit", "owner", "data_source"),
        pk,
    )
    values = list(item.values.select_related("author").order_by("period"))
    key_results = list(
        visible_key_results(request.user)
        .filter(linked_measure=item)
        .select_related("owner", "cycle")
        .order_by("-cycle__start", "title")
    )
    return render(
        request,
        "web/measure.html",
        {
            "measure": item,
            "nav_scorecard": item.objective.scorecard,
            "history": shown_history(request.user, item),
            "status": measure_status(item),
            "figures": measure_style(item, [f for v in values for f in (v.actual, v.target)]),
            "chart": measure_chart(item, values[-36:]),
            "values": list(reversed(values)),
            "key_results": key_results,
            "may_change": can(request.user, Action.CHANGE, item),
            "may_record": can(request.user, Action.ADD, item),
            "may_see_source": can(request.user, Action.VIEW, DataSource()),
        },
    )


@login_required
def initiative(request: HttpRequest, pk: int) -> HttpResponse:
    item = load(request, Initiative.objects.select_related("owner"), pk)
    objectives = list(item.strategic_objectives.select_related("scorecard__unit"))
    for objective in objectives:
        objective.status = rollup_status(objective.performance)
    earned, variance = initiative_money(item)
    return render(
        request,
        "web/initiative.html",
        {
            "initiative": item,
            "history": shown_history(request.user, item),
            "objectives": objectives,
            "earned": earned,
            "bar": progress_bar_svg(item.percent_complete, f"{item.percent_complete} % complete"),
            "variance": variance,
            "may_change": can(request.user, Action.CHANGE, item),
        },
    )


@login_required
def heatmap(request: HttpRequest) -> HttpResponse:
    cycle = chosen_cycle(request)
    matrix = selectors.heat_map(request.user, cycle)
    for row in matrix.rows:
        row.cells = [rollup_status(score) for score in row.scores]
        row.okr_cells = [(execution_status(score), count) for score, count in row.execution]
    return render(request, "web/heatmap.html", {"heatmap": matrix, "cycle": cycle})


@login_required
def unit_list(request: HttpRequest) -> HttpResponse:
    scorecards = current_scorecards()
    rows = []
    for unit, depth in selectors.unit_tree():
        card = scorecards.get(unit.pk)
        rows.append((unit, depth, card, rollup_status(card.score if card else None)))
    # Managing the tree is the admin's (`org.rules.may_unit`): asked of a new unit.
    may_manage = can(request.user, Action.CHANGE, Unit())
    return render(request, "web/unit_list.html", {"rows": rows, "may_manage": may_manage})


@login_required
def unit(request: HttpRequest, pk: int) -> HttpResponse:
    item = load(request, Unit.objects.select_related("parent"), pk)
    lead, memberships = selectors.unit_people(item)
    # A draft only for those who see it (its maker, the strategy office).
    seen = reader_for(request.user).visible(Scorecard)
    scorecards = list(seen.filter(unit=item).order_by("-period_start"))
    for card in scorecards:
        card.status = rollup_status(card.score)
        card.execution_status = execution_status(card.execution)
    cycle = chosen_cycle(request)
    objectives = selectors.unit_okrs(request.user, item, cycle, timezone.now())
    for objective in objectives:
        objective.status = okr_status(objective.score)
    return render(
        request,
        "web/unit.html",
        {
            "unit": item,
            "history": shown_history(request.user, item),
            "lead": lead,
            "memberships": memberships,
            "children": list(item.children.order_by("name")),
            "scorecards": scorecards,
            "objectives": objectives,
            "cycle": cycle,
            **alerts_context(request, item),
            "more_query": f"?unit={item.pk}",
            "may_add_okr": can(request.user, Action.ADD_OKR, item),
        },
    )
