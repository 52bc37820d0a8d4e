"""/account/two-factor/ (set up, see, remove one's second factor) and /account/verify/ (the
code asked after the password or SSO, before anything else is shown)."""

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django_otp import login as second_factor_login
from django_otp import match_token

from lodestar.org.second_factor import (
    WRONG_CODE,
    authenticator_confirm,
    authenticator_start,
    has_second_factor,
    second_factor_remove,
)
from lodestar.web.forms import BoundedForm, run_service
from lodestar.web.middleware import SESSION_FLAG
from lodestar.web.views.account import signed_in_person


class CodeForm(BoundedForm):
    code = forms.CharField(
        label="Code", max_length=16, help_text="From your authenticator app, or a recovery code."
    )


@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    person = signed_in_person(request)
    action = request.POST.get("action") if request.method == "POST" else None
    context = {"enabled": has_second_factor(person), "form": CodeForm()}
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
            context |= {"enabled": True, "codes": codes}
    elif action == "remove":
        form = context["form"] = CodeForm(request.POST)
        if form.is_valid() and match_token(person, form.cleaned_data["code"].strip()):
            second_factor_remove(acting=person, person=person)
            request.session[SESSION_FLAG] = False
            messages.success(request, "The second factor is removed.")
            return redirect("two-factor")
        form.add_error("code", WRONG_CODE)
    status = 400 if context["form"].errors else 200
    return render(request, "web/two_factor.html", context, status=status)


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
    status = 400 if form.errors else 200
    return render(request, "web/verify.html", {"form": form, "next": target}, status=status)
