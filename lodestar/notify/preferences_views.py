"""/settings/notifications/: how and when I get reminders and digests, and the channels
of the units I may set them for."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from lodestar.notify.models import NotificationPreference, UnitChannel
from lodestar.notify.preferences import notification_preference_set, unit_channel_set
from lodestar.org.models import Person, Unit
from lodestar.org.permissions import Action, can
from lodestar.web.forms import BoundedForm, run_service

WEEKDAYS = [(0, "Monday"), (1, "Tuesday"), (2, "Wednesday"), (3, "Thursday"), (4, "Friday")]


class PreferenceForm(BoundedForm):
    channel = forms.ChoiceField(choices=NotificationPreference.Channel.choices)
    weekday = forms.TypedChoiceField(choices=WEEKDAYS, coerce=int, label="On")
    webhook_url = forms.URLField(
        required=False, label="Slack or Teams webhook URL", assume_scheme="https"
    )


class UnitChannelForm(BoundedForm):
    unit = forms.IntegerField(widget=forms.HiddenInput)
    slack_url = forms.URLField(
        required=False, label="Slack incoming webhook", assume_scheme="https"
    )
    teams_url = forms.URLField(
        required=False, label="Teams Workflows webhook", assume_scheme="https"
    )


@login_required
def notification_settings(request: HttpRequest) -> HttpResponse:
    person = Person.objects.get(pk=request.user.pk)  # the model, not the lazy request.user
    current = NotificationPreference.objects.filter(person=person).first()
    current = current or NotificationPreference(person=person)
    initial = {
        "channel": current.channel,
        "weekday": current.weekday,
        "webhook_url": current.webhook_url,
    }
    form = PreferenceForm(request.POST if "channel" in request.POST else None, initial=initial)
    units = [u for u in Unit.objects.order_by("name") if can(person, Action.ADD, u)]
    channels = {c.unit_id: c for c in UnitChannel.objects.filter(unit__in=units)}
    unit_forms = []
    posted_unit = request.POST.get("unit") if request.method == "POST" else None
    for unit in units:
        channel = channels.get(unit.pk)
        data = request.POST if posted_unit == str(unit.pk) else None
        unit_form = UnitChannelForm(
            data,
            auto_id=f"unit-{unit.pk}-%s",  # one form per unit on the page
            initial={
                "unit": unit.pk,
                "slack_url": channel.slack_url if channel else "",
                "teams_url": channel.teams_url if channel else "",
            },
        )
        unit_forms.append((unit, unit_form))
    status = 200
    if request.method == "POST":
        bound = form if form.is_bound else next((f for _, f in unit_forms if f.is_bound), None)
        if bound is not None and bound.is_valid():

            def save():
                if bound is form:
                    return notification_preference_set(
                        acting=person, person=person, **form.cleaned_data
                    )
                data = dict(bound.cleaned_data)
                unit = next(u for u, f in unit_forms if f is bound)
                data.pop("unit")
                return unit_channel_set(acting=person, unit=unit, **data)

            # The one mapping of a domain refusal to form errors (keyed by field or not).
            if run_service(bound, save) is not None:
                messages.success(request, "Saved.")
                return redirect("notification-settings")
        status = 400
    return render(
        request,
        "notify/notification_settings.html",
        {"form": form, "unit_forms": unit_forms},
        status=status,
    )
