"""The admin's pages of the front door: everyone's sign-ins and account changes with from
where (/people/history/), and who must set up a second factor (/settings/second-factor/)."""

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from lodestar.audit.front_door import door_history
from lodestar.org.models import Person, SecondFactorPolicy
from lodestar.org.permissions import Action
from lodestar.org.second_factor_policy import (
    POLICY_ROLES,
    second_factor_policy_set,
    second_factor_required_roles,
)
from lodestar.validation import parse_id
from lodestar.web.forms import BoundedForm
from lodestar.web.forms.pages import Page, form_page, posted, with_query


def page_number(request: HttpRequest) -> int:
    text = request.GET.get("page", "1")
    return int(text) if text.isdigit() and 0 < int(text) < 10**6 else 1


@login_required
def people_history(request: HttpRequest) -> HttpResponse:
    """Every person's, or one's (?person=id): who manages people reads it."""
    if not request.reader.can(Action.CHANGE, Person()):
        raise PermissionDenied("Only an admin reads everyone's sign-ins.")
    person = None
    if request.GET.get("person"):
        pk = parse_id(request.GET["person"])
        person = request.reader.load(Person, pk if pk is not None else 0)
    page = page_number(request)
    history = door_history(person=person, page=page)
    here = reverse("people-history")
    return render(
        request,
        "web/people_history.html",
        {
            "history": history,
            "person": person,
            "page": page,
            "more_url": with_query(here, person=person and person.pk, page=page + 1)
            if history.more
            else "",
        },
    )


class PolicyForm(BoundedForm):
    roles = forms.MultipleChoiceField(
        label="Require a second factor of",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[(role, Person.Role(role).label) for role in POLICY_ROLES],
        help_text="They set one up (an authenticator app or a passkey) before they see "
        "anything else; nobody else is asked to.",
    )


@login_required
def second_factor_policy(request: HttpRequest) -> HttpResponse:
    if not request.reader.can(Action.CHANGE, SecondFactorPolicy()):
        raise PermissionDenied("Only an admin sets who needs a second factor.")
    form = PolicyForm(posted(request), initial={"roles": second_factor_required_roles()})
    if not SecondFactorPolicy.objects.exists():
        default = ", ".join(settings.SECOND_FACTOR_REQUIRED_ROLES) or "nobody"
        form.fields["roles"].help_text += f" Until saved here, the installation's: {default}."
    here = reverse("second-factor-policy")
    return form_page(
        request,
        form,
        Page(
            "Second factor for admins and the strategy office",
            reverse("dashboard"),
            submit="Save",
            links=[("Sign-ins of everyone", reverse("people-history"))],
        ),
        write=lambda data: second_factor_policy_set(acting=request.user, roles=data["roles"]),
        done=lambda saved: here,
        message="Saved: a second factor is required of {}.",
    )
