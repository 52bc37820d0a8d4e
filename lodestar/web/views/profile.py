"""/account/profile/: a person's own name, time zone and language. The name is theirs to
change (not a viewer's, who writes nothing); the time zone and language, how they read the
pages, anyone's (`org.preferences`)."""

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from lodestar.org.models import Person
from lodestar.org.permissions import Action
from lodestar.org.preferences import languages, person_preferences_set, time_zones
from lodestar.org.services import person_update
from lodestar.web.forms import BoundedForm, QuickSelect
from lodestar.web.forms.pages import Page, form_page, posted
from lodestar.web.views.account import signed_in_person


class ProfileForm(BoundedForm):
    first_name = forms.CharField(label="First name", max_length=150, required=False)
    last_name = forms.CharField(label="Last name", max_length=150, required=False)
    time_zone = forms.ChoiceField(
        label="Time zone",
        required=False,
        widget=QuickSelect,
        help_text="Dates and times on every page are shown in it.",
    )
    language = forms.ChoiceField(label="Language", required=False)

    def __init__(self, *args, installation_zone: str, may_rename: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = [
            ("", f"The installation's ({installation_zone})"),
            *((zone, zone.replace("_", " ")) for zone in time_zones()),
        ]
        self.fields["language"].choices = [("", "My browser's"), *languages().items()]
        if not may_rename:
            for name in ("first_name", "last_name"):
                self.fields[name].disabled = True
                self.fields[name].help_text = "Your admin changes it."


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    person = signed_in_person(request)
    may_rename = request.reader.can(Action.CHANGE, person)
    initial = {
        "first_name": person.first_name,
        "last_name": person.last_name,
        "time_zone": person.time_zone,
        "language": person.language,
    }
    form = ProfileForm(
        posted(request),
        initial=initial,
        installation_zone=settings.TIME_ZONE,
        may_rename=may_rename,
    )
    here = reverse("account-profile")
    return form_page(
        request,
        form,
        Page(
            "Your profile",
            reverse("person", args=[person.pk]),
            [(str(person), reverse("person", args=[person.pk]))],
            links=[("E-mail", reverse("account-email")), ("Sessions", reverse("sessions"))],
        ),
        write=lambda data: save_profile(request, person, data, may_rename=may_rename),
        done=lambda saved: here,
        message="Your profile is saved.",
    )


@transaction.atomic
def save_profile(request, person: Person, data: dict, *, may_rename: bool) -> Person:
    name = {key: data[key] for key in ("first_name", "last_name")}
    if may_rename and any(getattr(person, key) != value for key, value in name.items()):
        person = person_update(acting=request.user, person=person, **name)
    return person_preferences_set(
        acting=request.user,
        person=person,
        time_zone=data["time_zone"],
        language=data["language"],
    )
