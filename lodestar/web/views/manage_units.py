"""The unit tree changed in the app (issue 23): create, rename and move a unit, set its
lead, close it (its scorecards and OKRs moved where the person says). Each page asks
the permission layer (the tree is the admin's, `org.rules.may_unit`); the writes are
`lodestar.org.services`'."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from lodestar.org.models import Membership, Unit
from lodestar.org.permissions import Action
from lodestar.org.selectors import unit_lead
from lodestar.org.services import membership_set, unit_close, unit_create, unit_update
from lodestar.web.forms.pages import Page, form_page, posted, url
from lodestar.web.forms.people import UnitCloseForm, UnitForm, UnitLeadForm
from lodestar.web.loading import load

UNITS = Unit.objects.select_related("parent")


def unit_crumbs(unit: Unit | None = None) -> list[tuple[str, str]]:
    crumbs = [("Units", reverse("unit-list"))]
    return [*crumbs, (str(unit), url("unit", unit))] if unit else crumbs


@login_required
def unit_new(request: HttpRequest) -> HttpResponse:
    if not request.reader.can(Action.CHANGE, Unit()):
        raise PermissionDenied("Only an admin changes the unit tree.")
    form = UnitForm(posted(request), initial={"parent": request.GET.get("parent")})
    return form_page(
        request,
        form,
        Page("New unit", reverse("unit-list"), unit_crumbs(), submit="Create"),
        write=lambda data: unit_create(acting=request.user, **data),
        done=lambda unit: url("unit", unit),
        message="Created the unit “{}”.",
        another=lambda unit: f"{reverse('unit-new')}?parent={unit.parent_id or ''}",
    )


@login_required
def unit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    unit = load(request, UNITS, pk, Action.CHANGE)
    form = UnitForm(posted(request), initial=UnitForm.initial_from(unit))
    page = Page(
        f"Edit {unit}",
        url("unit", unit),
        unit_crumbs(unit),
        links=[("Set the lead…", url("unit-lead", unit)), ("Close…", url("unit-close", unit))],
    )
    return form_page(
        request,
        form,
        page,
        write=lambda data: unit_update(acting=request.user, unit=unit, **form.changes()),
        done=lambda saved: url("unit", saved),
        message="Saved the unit “{}”.",
    )


@login_required
def unit_lead_page(request: HttpRequest, pk: int) -> HttpResponse:
    unit = load(request, UNITS, pk, Action.CHANGE)
    lead = unit_lead(unit)
    form = UnitLeadForm(posted(request), initial={"person": lead.pk if lead else None})
    return form_page(
        request,
        form,
        Page(f"The lead of {unit}", url("unit", unit), unit_crumbs(unit), submit="Set lead"),
        write=lambda data: membership_set(
            acting=request.user, person=data["person"], unit=unit, role=Membership.Role.LEAD
        ),
        done=lambda membership: url("unit", unit),
        message="{0.person} leads {0.unit} now.",
    )


@login_required
def unit_close_page(request: HttpRequest, pk: int) -> HttpResponse:
    unit = load(request, UNITS, pk, Action.DELETE)
    form = UnitCloseForm(posted(request), unit=unit)
    page = Page(f"Close {unit}", url("unit", unit), unit_crumbs(unit), submit="Close the unit")

    def close(data: dict) -> Unit:
        unit_close(acting=request.user, unit=unit, move_to=data.get("move_to"))
        return unit

    return form_page(
        request,
        form,
        page,
        write=close,
        done=lambda closed: reverse("unit-list"),
        message="Closed the unit “{}”: its people stay, out of it.",
    )
