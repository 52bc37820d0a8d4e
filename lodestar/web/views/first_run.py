"""/setup/: the first admin of an installation nobody can administer yet (`org.first_run`).
Every page sends an anonymous visitor to the sign-in page, and the sign-in page sends them
here while there is nobody to sign in as; once an admin exists the page is gone (404)."""

from django import forms
from django.contrib import messages
from django.contrib.auth import login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from lodestar.org.first_run import first_admin_create, setup_code, someone_can_administer
from lodestar.web.forms import BoundedForm, run_service
from lodestar.web.forms.pages import posted


class FirstAdminForm(BoundedForm):
    code = forms.CharField(
        label="Setup code",
        max_length=32,
        help_text="Printed in the server's log when this page was first opened.",
    )
    username = forms.CharField(label="User name", max_length=150)
    email = forms.EmailField(label="E-mail", max_length=254)
    first_name = forms.CharField(label="First name", max_length=150, required=False)
    last_name = forms.CharField(label="Last name", max_length=150, required=False)
    password = forms.CharField(label="Password", max_length=128, widget=forms.PasswordInput)


def setup(request: HttpRequest) -> HttpResponse:
    if someone_can_administer():
        raise Http404("This installation is set up.")
    setup_code()  # made and logged now, so that whoever runs the server can read it
    form = FirstAdminForm(posted(request))
    if request.method == "POST" and form.is_valid():
        admin = run_service(form, lambda: first_admin_create(acting=None, **form.cleaned_data))
        if admin is not None:
            login(request, admin, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, f"Welcome, {admin}: you are this installation's admin.")
            return redirect("dashboard")
    status = 400 if form.errors else 200
    return render(request, "registration/first_run.html", {"form": form}, status=status)
