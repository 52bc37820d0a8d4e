"""The alerts as the dashboard and unit pages show them, in groups, the reader's snoozed
ones set apart (shown with `?snoozed=1`); and the two writes behind the snooze buttons."""

from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from lodestar.insights.alert_groups import grouped_alerts_for
from lodestar.insights.alerts import alert_counts
from lodestar.insights.snoozes import alert_snooze, alert_unsnooze
from lodestar.org.models import Unit
from lodestar.web.forms import run_service
from lodestar.web.forms.alerts import SnoozeForm
from lodestar.web.views.display import ALERT_MEMBERS_SHOWN, ALERTS_FIRST


def alerts_context(request: HttpRequest, unit: Unit | None) -> dict:
    """What `_alerts.html` and `_more_alerts.html` show: the first groups one by one, the
    rest counted, and how many the reader snoozed."""
    grouped = grouped_alerts_for(request.user, unit=unit, now=timezone.now())
    showing_snoozed = request.GET.get("snoozed") == "1"
    groups = grouped.snoozed if showing_snoozed else grouped.groups
    rest = [member for group in groups[ALERTS_FIRST:] for member in group.members]
    return {
        "alert_groups": groups[:ALERTS_FIRST],
        "alert_unit": unit,
        "showing_snoozed": showing_snoozed,
        "snoozed_count": len(grouped.snoozed),
        "more_alerts": alert_counts(rest),
        "more_alert_count": len(rest),
        "members_shown": ALERT_MEMBERS_SHOWN,
        "members_slice": f":{ALERT_MEMBERS_SHOWN}",
    }


def back_to(unit: Unit | None, *, snoozed: bool = False) -> str:
    page = reverse("unit", args=[unit.pk]) if unit is not None else reverse("dashboard")
    return f"{page}?snoozed=1" if snoozed else page


def answer(request: HttpRequest, write: Callable[[dict], object], *, snoozed: bool):
    """Run the write on the posted form; back to the page it was posted from, or a page
    saying why not (400) when the form or the service refuses."""
    form = SnoozeForm(request.POST)
    if form.is_valid() and run_service(form, lambda: write(form.cleaned_data)) is not None:
        return redirect(back_to(form.cleaned_data["unit"], snoozed=snoozed))
    unit = form.cleaned_data.get("unit")
    said = [message for messages in form.errors.values() for message in messages]
    context = {"messages_shown": said, "back": back_to(unit)}
    return render(request, "web/alert_snooze_refused.html", context, status=400)


@login_required
@require_POST
def snooze(request: HttpRequest) -> HttpResponse:
    def write(data: dict):
        return alert_snooze(
            acting=request.user, group=data["group"], length=data["length"], unit=data["unit"]
        )

    return answer(request, write, snoozed=False)


@login_required
@require_POST
def unsnooze(request: HttpRequest) -> HttpResponse:
    def write(data: dict):
        return alert_unsnooze(acting=request.user, group=data["group"], unit=data["unit"])

    return answer(request, write, snoozed=True)
