"""The data source pages (/settings/sources/), for the strategy office and admins: every
source with its last sync and error, one source's sync log, and "sync now"."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from lodestar.org.permissions import Action, can
from lodestar.sources.models import DataSource
from lodestar.sources.services import data_source_create
from lodestar.sources.sync import sync_request
from lodestar.sources.tasks import sync_soon
from lodestar.strategy.models import Measure
from lodestar.web.forms import ServiceForm
from lodestar.web.forms.pages import Page, form_page, posted, url

RECENT = 50


def require_view(request: HttpRequest) -> None:
    if not can(request.user, Action.VIEW, DataSource()):
        raise PermissionDenied


@login_required
def source_list(request: HttpRequest) -> HttpResponse:
    require_view(request)
    rows = DataSource.objects.select_related("measure__objective__scorecard")
    return render(request, "sources/source_list.html", {"sources": rows.order_by("name", "pk")})


@login_required
def source_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_view(request)
    source = request.reader.load(DataSource.objects.select_related("measure"), pk)
    context = {
        "source": source,
        "runs": source.runs.all()[:RECENT],
        "may_sync": can(request.user, Action.CHANGE, source) and source.kind != "push",
    }
    return render(request, "sources/source_detail.html", context)


@login_required
@require_POST
def source_sync(request: HttpRequest, pk: int) -> HttpResponse:
    require_view(request)
    source = request.reader.load(DataSource.objects.select_related("measure"), pk, Action.CHANGE)
    try:
        sync_request(acting=request.user, source=source)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        sync_soon()
        messages.success(request, "Sync requested: a sync worker runs it next.")
    return redirect("source", pk=source.pk)


class SourceForm(ServiceForm):
    model = DataSource
    model_fields = (
        "name",
        "kind",
        "connection",
        "query",
        "url",
        "format",
        "period_field",
        "value_field",
        "records_path",
        "token_env",
        "interval_minutes",
    )


@login_required
def source_new(request: HttpRequest, measure_pk: int) -> HttpResponse:
    """A measure gets a source; its values come from it alone from then on."""
    measures = Measure.objects.select_related("objective__scorecard")
    measure = request.reader.load(measures, measure_pk)
    if not can(request.user, Action.ADD, DataSource(measure=measure)):
        raise PermissionDenied
    form = SourceForm(posted(request), initial={"name": measure.name})
    return form_page(
        request,
        form,
        Page(f"A data source for {measure}", url("measure", measure)),
        write=lambda data: data_source_create(acting=request.user, measure=measure, **data),
        done=lambda saved: url("source", saved),
        message="Set up {}: sync it now, or let the worker sync it when it is due.",
    )
