"""Create, edit and delete pages of the Balanced Scorecard. Each view checks the
permission layer, builds its form and hands the write to a service."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from lodestar.org.models import Person, Unit
from lodestar.org.permissions import Action, reader_for
from lodestar.strategy import services
from lodestar.strategy.models import (
    CauseEffectLink,
    Initiative,
    Measure,
    MeasureValue,
    Perspective,
    Scorecard,
    StrategicObjective,
    Theme,
)
from lodestar.web.forms.pages import Page, delete_page, form_page, posted, url, with_query
from lodestar.web.forms.strategy import (
    InitiativeForm,
    LinkForm,
    MeasureForm,
    MeasureValueForm,
    PerspectiveForm,
    ScorecardForm,
    StrategicObjectiveForm,
    ThemeForm,
)
from lodestar.web.loading import load

# What each page loads with its object (the permission check reads the scorecard's unit).
SCORECARDS = Scorecard.objects.select_related("unit")
PERSPECTIVES = Perspective.objects.select_related("scorecard__unit")
THEMES = Theme.objects.select_related("scorecard__unit")
LINKS = CauseEffectLink.objects.select_related("cause__scorecard__unit", "effect")
STRATEGIC_OBJECTIVES = StrategicObjective.objects.select_related("scorecard__unit", "owner")
MEASURES = Measure.objects.select_related("objective__scorecard__unit", "owner")
MEASURE_VALUES = MeasureValue.objects.select_related("measure__objective__scorecard__unit")
INITIATIVES = Initiative.objects.select_related("owner")


def scorecard_crumbs(scorecard: Scorecard) -> list[tuple[str, str]]:
    return [
        ("Scorecards", reverse("scorecard-list")),
        (str(scorecard), url("scorecard", scorecard)),
    ]


def objective_crumbs(objective: StrategicObjective) -> list[tuple[str, str]]:
    return [
        *scorecard_crumbs(objective.scorecard),
        (str(objective), url("strategic-objective", objective)),
    ]


# Scorecards ---------------------------------------------------------------------------
@login_required
def scorecard_new(request: HttpRequest) -> HttpResponse:
    access = reader_for(request.user)
    units = [unit.pk for unit in Unit.objects.all() if access.can(Action.ADD, unit)]
    if not units:
        raise PermissionDenied
    year = timezone.localdate().year
    form = ScorecardForm(
        posted(request),
        units=Unit.objects.filter(pk__in=units),
        initial={
            "unit": request.GET.get("unit"),
            "period_start": f"{year}-01-01",
            "period_end": f"{year}-12-31",
        },
    )
    page = Page(
        "New scorecard", reverse("scorecard-list"), [("Scorecards", reverse("scorecard-list"))]
    )
    return form_page(
        request,
        form,
        page,
        write=lambda data: services.scorecard_create(acting=request.user, **data),
        done=lambda scorecard: url("scorecard", scorecard),
        message="Created the scorecard “{}” with the four usual perspectives.",
    )


@login_required
def scorecard_edit(request: HttpRequest, pk: int) -> HttpResponse:
    scorecard = load(request, SCORECARDS, pk, Action.CHANGE)
    form = ScorecardForm(posted(request), initial=ScorecardForm.initial_from(scorecard))
    page = Page(
        f"Edit {scorecard}",
        url("scorecard", scorecard),
        scorecard_crumbs(scorecard),
        delete=url("scorecard-delete", scorecard),
    )
    return form_page(
        request,
        form,
        page,
        write=lambda data: services.scorecard_update(
            acting=request.user, scorecard=scorecard, **form.changes()
        ),
        done=lambda saved: url("scorecard", saved),
        message="Saved the scorecard “{}”.",
    )


@login_required
def scorecard_delete(request: HttpRequest, pk: int) -> HttpResponse:
    scorecard = load(request, SCORECARDS, pk, Action.DELETE)
    page = Page(f"Delete {scorecard}", url("scorecard", scorecard), scorecard_crumbs(scorecard))
    return delete_page(
        request,
        scorecard,
        page,
        delete=lambda: services.scorecard_delete(acting=request.user, scorecard=scorecard),
        done=reverse("scorecard-list"),
        consequence="Its perspectives, themes, objectives, measures and values go with it.",
    )


@login_required
@require_POST
def scorecard_publish(request: HttpRequest, pk: int) -> HttpResponse:
    """A draft shown to everyone (strategy.services.scorecard_publish)."""
    scorecard = load(request, SCORECARDS, pk, Action.CHANGE)
    services.scorecard_publish(acting=request.user, scorecard=scorecard)
    return redirect(url("scorecard", scorecard))


# Items of a scorecard: perspectives, themes, links ------------------------------------


@login_required
def perspective_new(request: HttpRequest, pk: int) -> HttpResponse:
    scorecard = load(request, SCORECARDS, pk, Action.ADD)
    form = PerspectiveForm(posted(request), initial={"weight": 1.0})
    return form_page(
        request,
        form,
        Page("New perspective", url("scorecard", scorecard), scorecard_crumbs(scorecard)),
        write=lambda data: services.perspective_create(
            acting=request.user, scorecard=scorecard, **data
        ),
        done=lambda saved: url("scorecard", scorecard),
        message="Added the perspective “{}”.",
        another=lambda saved: url("perspective-new", scorecard),
    )


@login_required
def perspective_edit(request: HttpRequest, pk: int) -> HttpResponse:
    perspective = load(request, PERSPECTIVES, pk, Action.CHANGE)
    scorecard = perspective.scorecard
    form = PerspectiveForm(posted(request), initial=PerspectiveForm.initial_from(perspective))
    page = Page(
        f"Edit perspective {perspective}",
        url("scorecard", scorecard),
        scorecard_crumbs(scorecard),
        delete=url("perspective-delete", perspective),
    )
    return form_page(
        request,
        form,
        page,
        write=lambda data: services.perspective_update(
            acting=request.user, perspective=perspective, **form.changes()
        ),
        done=lambda saved: url("scorecard", scorecard),
        message="Saved the perspective “{}”.",
    )


@login_required
def perspective_delete(request: HttpRequest, pk: int) -> HttpResponse:
    perspective = load(request, PERSPECTIVES, pk, Action.DELETE)
    scorecard = perspective.scorecard
    return delete_page(
        request,
        perspective,
        Page(f"Delete perspective {perspective}", url("scorecard", scorecard)),
        delete=lambda: services.perspective_delete(acting=request.user, perspective=perspective),
        done=url("scorecard", scorecard),
    )


@login_required
def theme_new(request: HttpRequest, pk: int) -> HttpResponse:
    scorecard = load(request, SCORECARDS, pk, Action.ADD)
    return form_page(
        request,
        ThemeForm(posted(request)),
        Page("New theme", url("scorecard", scorecard), scorecard_crumbs(scorecard)),
        write=lambda data: services.theme_create(acting=request.user, scorecard=scorecard, **data),
        done=lambda saved: url("scorecard", scorecard),
        message="Added the theme “{}”.",
        another=lambda saved: url("theme-new", scorecard),
    )


@login_required
def theme_edit(request: HttpRequest, pk: int) -> HttpResponse:
    theme = load(request, THEMES, pk, Action.CHANGE)
    scorecard = theme.scorecard
    form = ThemeForm(posted(request), initial=ThemeForm.initial_from(theme))
    page = Page(
        f"Edit theme {theme}",
        url("scorecard", scorecard),
        scorecard_crumbs(scorecard),
        delete=url("theme-delete", theme),
    )
    return form_page(
        request,
        form,
        page,
        write=lambda data: services.theme_update(
            acting=request.user, theme=theme, **form.changes()
        ),
        done=lambda saved: url("scorecard", scorecard),
        message="Saved the theme “{}”.",
    )


@login_required
def theme_delete(request: HttpRequest, pk: int) -> HttpResponse:
    theme = load(request, THEMES, pk, Action.DELETE)
    return delete_page(
        request,
        theme,
        Page(f"Delete theme {theme}", url("scorecard", theme.scorecard)),
        delete=lambda: services.theme_delete(acting=request.user, theme=theme),
        done=url("scorecard", theme.scorecard),
    )


@login_required
def link_new(request: HttpRequest, pk: int) -> HttpResponse:
    scorecard = load(request, SCORECARDS, pk, Action.ADD)
    initial = {key: request.GET.get(key) for key in ("cause", "effect")}
    return form_page(
        request,
        LinkForm(posted(request), scorecard=scorecard, initial=initial),
        Page("New cause-effect link", url("scorecard", scorecard), scorecard_crumbs(scorecard)),
        write=lambda data: services.link_create(acting=request.user, **data),
        done=lambda saved: url("scorecard", scorecard),
        message="Linked {}.",
        another=lambda saved: url("link-new", scorecard),
    )


@login_required
def link_edit(request: HttpRequest, pk: int) -> HttpResponse:
    link = load(request, LINKS, pk, Action.CHANGE)
    scorecard = link.cause.scorecard
    form = LinkForm(posted(request), scorecard=scorecard, initial=LinkForm.initial_from(link))
    page = Page(
        "Edit cause-effect link",
        url("scorecard", scorecard),
        scorecard_crumbs(scorecard),
        delete=url("link-delete", link),
    )
    return form_page(
        request,
        form,
        page,
        write=lambda data: services.link_update(acting=request.user, link=link, **form.changes()),
        done=lambda saved: url("scorecard", scorecard),
        message="Saved the link {}.",
    )


@login_required
def link_delete(request: HttpRequest, pk: int) -> HttpResponse:
    link = load(request, LINKS, pk, Action.DELETE)
    return delete_page(
        request,
        link,
        Page("Delete cause-effect link", url("scorecard", link.cause.scorecard)),
        delete=lambda: services.link_delete(acting=request.user, link=link),
        done=url("scorecard", link.cause.scorecard),
    )


# Strategic objectives -----------------------------------------------------------------
@login_required
def strategic_objective_new(request: HttpRequest, pk: int) -> HttpResponse:
    scorecard = load(request, SCORECARDS, pk, Action.ADD)
    form = StrategicObjectiveForm(
        posted(request),
        scorecard=scorecard,
        initial={"perspective": request.GET.get("perspective"), "weight": 1.0},
    )
    return form_page(
        request,
        form,
        Page("New strategic objective", url("scorecard", scorecard), scorecard_crumbs(scorecard)),
        write=lambda data: services.strategic_objective_create(
            acting=request.user, scorecard=scorecard, **{**data, "themes": list(data["themes"])}
        ),
        # Back to the scorecard, where the objective shows in its band with its measures.
        done=lambda saved: url("scorecard", scorecard),
        message="Created the strategic objective “{}”.",
        another=lambda saved: with_query(
            url("strategic-objective-new", scorecard), perspective=saved.perspective_id
        ),
    )


@login_required
def strategic_objective_edit(request: HttpRequest, pk: int) -> HttpResponse:
    objective = load(request, STRATEGIC_OBJECTIVES, pk, Action.CHANGE)
    form = StrategicObjectiveForm(
        posted(request),
        scorecard=objective.scorecard,
        owner=objective.owner,
        initial=StrategicObjectiveForm.initial_from(objective),
    )

    def write(data: dict) -> StrategicObjective:
        changes = form.changes()
        themes = changes.pop("themes", None)
        return services.strategic_objective_update(
            acting=request.user,
            objective=objective,
            themes=None if themes is None else list(themes),
            **changes,
        )

    page = Page(
        f"Edit {objective}",
        url("strategic-objective", objective),
        objective_crumbs(objective),
        delete=url("strategic-objective-delete", objective),
    )
    return form_page(
        request,
        form,
        page,
        write=write,
        done=lambda saved: url("strategic-objective", saved),
        message="Saved the strategic objective “{}”.",
    )


@login_required
def strategic_objective_delete(request: HttpRequest, pk: int) -> HttpResponse:
    objective = load(request, STRATEGIC_OBJECTIVES, pk, Action.DELETE)
    return delete_page(
        request,
        objective,
        Page(f"Delete {objective}", url("strategic-objective", objective)),
        delete=lambda: services.strategic_objective_delete(
            acting=request.user, objective=objective
        ),
        done=url("scorecard", objective.scorecard),
        consequence="Its measures and their values go with it.",
    )


# Measures and their values ------------------------------------------------------------
@login_required
def measure_new(request: HttpRequest, pk: int) -> HttpResponse:
    objective = load(request, STRATEGIC_OBJECTIVES, pk, Action.ADD)
    form = MeasureForm(posted(request), initial={"weight": 1.0})
    return form_page(
        request,
        form,
        Page("New measure", url("strategic-objective", objective), objective_crumbs(objective)),
        write=lambda data: services.measure_create(
            acting=request.user, objective=objective, **data
        ),
        done=lambda saved: url("scorecard", objective.scorecard),
        message="Created the measure “{}”.",
        another=lambda saved: url("measure-new", objective),
    )


def measure_crumbs(measure: Measure) -> list[tuple[str, str]]:
    return [*objective_crumbs(measure.objective), (str(measure), url("measure", measure))]


@login_required
def measure_edit(request: HttpRequest, pk: int) -> HttpResponse:
    measure = load(request, MEASURES, pk, Action.CHANGE)
    form = MeasureForm(
        posted(request), owner=measure.owner, initial=MeasureForm.initial_from(measure)
    )
    page = Page(
        f"Edit measure {measure}",
        url("measure", measure),
        measure_crumbs(measure),
        delete=url("measure-delete", measure),
    )
    return form_page(
        request,
        form,
        page,
        write=lambda data: services.measure_update(
            acting=request.user, measure=measure, **form.changes()
        ),
        done=lambda saved: url("measure", saved),
        message="Saved the measure “{}”.",
    )


@login_required
def measure_delete(request: HttpRequest, pk: int) -> HttpResponse:
    measure = load(request, MEASURES, pk, Action.DELETE)
    return delete_page(
        request,
        measure,
        Page(f"Delete measure {measure}", url("measure", measure)),
        delete=lambda: services.measure_delete(acting=request.user, measure=measure),
        done=url("strategic-objective", measure.objective),
        consequence="Its recorded values go with it.",
    )


@login_required
def measure_value_new(request: HttpRequest, pk: int) -> HttpResponse:
    measure = load(request, MEASURES, pk, Action.ADD)
    this_month = timezone.localdate().replace(day=1)
    form = MeasureValueForm(posted(request), initial={"period": this_month})
    return form_page(
        request,
        form,
        Page(f"Record a value of {measure}", url("measure", measure), measure_crumbs(measure)),
        write=lambda data: services.measure_value_record(
            acting=request.user, measure=measure, author=request.user, **data
        ),
        done=lambda saved: url("measure", measure),
        message="Recorded {0}. {0.replaced}",  # says what a correction replaced
        another=lambda saved: url("measure-value-new", measure),
    )


@login_required
def measure_value_delete(request: HttpRequest, pk: int) -> HttpResponse:
    value = load(request, MEASURE_VALUES, pk, Action.DELETE)
    measure = value.measure
    return delete_page(
        request,
        value,
        Page(f"Delete the value {value}", url("measure", measure), measure_crumbs(measure)),
        delete=lambda: services.measure_value_delete(acting=request.user, value=value),
        done=url("measure", measure),
        consequence="The measure falls back to its previous value.",
    )


# Initiatives --------------------------------------------------------------------------
def changeable_strategic_objectives(person: Person) -> QuerySet[StrategicObjective]:
    """Strategic objectives the person may attach an initiative to (one query)."""
    access = reader_for(person)
    everything = StrategicObjective.objects.select_related("scorecard")
    allowed = [objective.pk for objective in everything if access.can(Action.CHANGE, objective)]
    return StrategicObjective.objects.filter(pk__in=allowed)


@login_required
def initiative_new(request: HttpRequest) -> HttpResponse:
    objectives = changeable_strategic_objectives(request.user)
    if not objectives.exists():
        raise PermissionDenied
    form = InitiativeForm(
        posted(request),
        strategic_objectives=objectives,
        initial={
            "strategic_objectives": request.GET.getlist("objective"),
            "owner": request.user.pk,
        },
    )
    return form_page(
        request,
        form,
        Page(
            "New initiative", reverse("scorecard-list"), [("Scorecards", reverse("scorecard-list"))]
        ),
        write=lambda data: services.initiative_create(
            acting=request.user,
            **{**data, "strategic_objectives": list(data["strategic_objectives"])},
        ),
        done=lambda saved: url("initiative", saved),
        message="Created the initiative “{}”.",
        another=lambda saved: with_query(
            reverse("initiative-new"), objective=[o.pk for o in saved.strategic_objectives.all()]
        ),
    )


@login_required
def initiative_edit(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = load(request, INITIATIVES, pk, Action.CHANGE)
    # The objectives it already serves stay choosable, even outside the person's reach.
    objectives = changeable_strategic_objectives(request.user) | StrategicObjective.objects.filter(
        initiatives=initiative
    )
    form = InitiativeForm(
        posted(request),
        strategic_objectives=objectives.distinct(),
        owner=initiative.owner,
        initial=InitiativeForm.initial_from(initiative),
    )

    def write(data: dict) -> Initiative:
        changes = form.changes()
        chosen = changes.pop("strategic_objectives", None)
        return services.initiative_update(
            acting=request.user,
            initiative=initiative,
            strategic_objectives=None if chosen is None else list(chosen),
            **changes,
        )

    page = Page(
        f"Edit initiative {initiative}",
        url("initiative", initiative),
        [("Initiative", url("initiative", initiative))],
        delete=url("initiative-delete", initiative),
    )
    return form_page(
        request,
        form,
        page,
        write=write,
        done=lambda saved: url("initiative", saved),
        message="Saved the initiative “{}”.",
    )


@login_required
def initiative_delete(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = load(request, INITIATIVES, pk, Action.DELETE)
    return delete_page(
        request,
        initiative,
        Page(f"Delete initiative {initiative}", url("initiative", initiative)),
        delete=lambda: services.initiative_delete(acting=request.user, initiative=initiative),
        done=reverse("scorecard-list"),
    )
