"""/account/email/: a person changes their own e-mail. The new address is theirs only
once they open, signed in, the link sent to it (`person_email_change_request`)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from lodestar.org.models import Person
from lodestar.org.services import person_email_change_request, person_email_confirm
from lodestar.web.forms import BoundedForm
from lodestar.web.forms.pages import Page, form_page, posted


class EmailForm(BoundedForm):
    email = forms.EmailField(
        label="New e-mail",
        max_length=254,
        help_text="A link to confirm it is sent there; your e-mail changes when you open it.",
        error_messages={"invalid": "Enter a valid e-mail address."},
    )


def signed_in_person(request: HttpRequest) -> Person:
    """The person behind `request.user` (a lazy stand-in the permission layer does not
    take as an object to ask about)."""
    return Person.objects.get(pk=request.user.pk)


@login_required
def email(request: HttpRequest) -> HttpResponse:
    person = signed_in_person(request)
    me = reverse("person", args=[person.pk])
    title = f"Your e-mail: {person.email}" if person.email else "Your e-mail"
    return form_page(
        request,
        EmailForm(posted(request)),
        Page(title, me, [(str(person), me)], submit="Send the link"),
        write=lambda data: person_email_change_request(acting=person, email=data["email"]),
        done=lambda address: me,
        message="A link to confirm it was sent to {}.",
    )


@login_required
def email_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """Opened from the message: PermissionDenied (403) for anyone but the person it was
    sent for; a broken, expired or used link says so."""
    try:
        person = person_email_confirm(acting=signed_in_person(request), token=token)
    except ValidationError as error:
        context = {"problems": error.messages, "again": reverse("account-email")}
        return render(request, "web/account_email_refused.html", context, status=400)
    messages.success(request, f"Your e-mail is now {person.email}.")
    return redirect("person", person.pk)
