"""/account/two-factor/ (one's second factors: set up, see, remove an authenticator app and
passkeys) and /account/verify/ (the code or passkey asked after the password or SSO, before
anything else is shown). The passkey ceremonies themselves: web.views.passkeys."""

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST
from django_otp import devices_for_user, match_token
from django_otp import login as second_factor_login

from lodestar.org.second_factor import (
    PASSKEY_NAME_LENGTH,
    WRONG_CODE,
    authenticator_confirm,
    authenticator_remove,
    authenticator_start,
    has_second_factor,
    passkey_name_check,
    passkey_remove,
    second_factors_of,
)
from lodestar.web.forms import BoundedForm, run_service
from lodestar.web.middleware import SESSION_FLAG
from lodestar.web.views.account import signed_in_person
from lodestar.web.views.passkeys import CODES_ONCE, NAME, passkeys_offered


class CodeForm(BoundedForm):
    code = forms.CharField(
        label="Code", max_length=16, help_text="From your authenticator app, or a recovery code."
    )


class PasskeyNameForm(BoundedForm):
    name = forms.CharField(
        label="Name of the passkey",
        max_length=PASSKEY_NAME_LENGTH,
        help_text="Where it lives, so you can tell your passkeys apart: “Work laptop”, “Phone”.",
    )


@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    person = signed_in_person(request)
    action = request.POST.get("action") if request.method == "POST" else None
    context = {"form": CodeForm(), "passkey_form": PasskeyNameForm()}
    if request.method == "GET" and (codes := request.session.pop(CODES_ONCE, None)):
        context["codes"] = codes  # a first passkey's recovery codes, shown once
    if action == "start":
        device = authenticator_start(acting=person)
        picture = segno.make(device.config_url, error="m").svg_inline(scale=4)
        context |= {"qr": mark_safe(picture), "secret": device.key}  # our own drawing
    elif action == "confirm":
        form = context["form"] = CodeForm(request.POST)
        codes = form.is_valid() and run_service(
            form, lambda: authenticator_confirm(acting=person, code=form.cleaned_data["code"])
        )
        if codes:
            request.session[SESSION_FLAG] = True
            device = person.totpdevice_set.get(confirmed=True)
            second_factor_login(request, device)  # this session has just proved it
            context["codes"] = codes
    elif action == "remove":
        form = context["form"] = CodeForm(request.POST)
        if form.is_valid() and match_token(person, form.cleaned_data["code"].strip()):
            authenticator_remove(acting=person)
            after_removal(request, person)
            messages.success(request, "The authenticator app is removed.")
            return redirect("two-factor")
        form.add_error("code", WRONG_CODE)
    elif action == "passkey":
        request.session.pop(NAME, None)  # a refused name leaves no earlier one pending
        form = context["passkey_form"] = PasskeyNameForm(request.POST)
        name = form.is_valid() and run_service(
            form, lambda: passkey_name_check(form.cleaned_data["name"])
        )
        if name and passkeys_offered():
            request.session[NAME] = name  # kept under it once the browser has made it
            context["passkey_name"] = name
    context["factors"] = second_factors_of(person)
    context["passkeys_offered"] = passkeys_offered()
    failed = context["form"].errors or context["passkey_form"].errors
    return render(request, "web/two_factor.html", context, status=400 if failed else 200)


def after_removal(request: HttpRequest, person) -> None:
    """This session gave its second factor; if it gave it with the device just removed, it
    stays verified by one that remains (django-otp would forget it on the next request)."""
    request.session[SESSION_FLAG] = has_second_factor(person)
    remaining = next(devices_for_user(person, confirmed=True), None)
    if remaining is not None and request.user.is_verified():
        second_factor_login(request, remaining)


@login_required
@require_POST
def passkey_delete(request: HttpRequest, pk: int) -> HttpResponse:
    person = signed_in_person(request)
    try:
        name = passkey_remove(acting=person, passkey_id=pk)
    except ValidationError as error:  # not one of theirs: as if it did not exist
        raise Http404(" ".join(error.messages)) from None
    after_removal(request, person)
    messages.success(request, f"The passkey “{name}” is removed.")
    return redirect("two-factor")


@login_required
def verify(request: HttpRequest) -> HttpResponse:
    form = CodeForm(request.POST if request.method == "POST" else None)
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    if form.is_valid():
        device = match_token(request.user, form.cleaned_data["code"].strip())
        if device is not None:
            second_factor_login(request, device)
            return redirect(target)
        form.add_error("code", WRONG_CODE)
    context = {"form": form, "next": target, "factors": second_factors_of(request.user)}
    return render(request, "web/verify.html", context, status=400 if form.errors else 200)
