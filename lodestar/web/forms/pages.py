"""The two pages every form view is made of: the form page (GET shows it, POST runs
the service and redirects, or answers 400 with the errors beside the fields, 409 when
the object changed since the form was read) and the delete confirmation (GET asks,
POST deletes)."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django import forms
from django.contrib import messages
from django.db.models import Model, ProtectedError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode

from lodestar.web.forms import run_service


@dataclass
class Page:
    title: str
    cancel: str
    crumbs: list[tuple[str, str]] = field(default_factory=list)
    submit: str = "Save"
    delete: str = ""  # the delete confirmation's URL, offered on edit pages
    # Buttons that POST elsewhere (e.g. activate a cycle): (label, url).
    actions: list[tuple[str, str]] = field(default_factory=list)
    # Other pages offered instead of this one: (label, url).
    links: list[tuple[str, str]] = field(default_factory=list)


# The name of the second submit button of a create form: save, then a fresh form.
ANOTHER = "another"


def url(name: str, obj: Model) -> str:
    return reverse(name, args=[obj.pk])


def with_query(path: str, **values) -> str:
    """`path?key=value…`, leaving out empty values; a list repeats its key."""
    pairs = [
        (key, item)
        for key, value in values.items()
        for item in (value if isinstance(value, (list, tuple)) else [value])
        if item not in (None, "")
    ]
    return f"{path}?{urlencode(pairs)}" if pairs else path


def posted(request: HttpRequest):
    """The data to bind a form to: the POST body, or None for a fresh form."""
    return request.POST if request.method == "POST" else None


def form_page(
    request: HttpRequest,
    form: forms.Form,
    page: Page,
    *,
    write: Callable[[dict], Model],
    done: Callable[[Model], str],
    message: str,
    context: dict | None = None,
    another: Callable[[Model], str] | None = None,
) -> HttpResponse:
    """`write` gets the cleaned data and calls a service; `done` names the page to go
    to after saving; `message` is formatted with the saved object. A create form names
    with `another` its own fresh form for the next object, with the saved one's context
    (its cycle, unit, parent, perspective…), offered as "Save and add another"."""
    if request.method == "POST" and form.is_valid():
        saved = run_service(form, lambda: write(form.cleaned_data))
        if saved is not None:
            messages.success(request, message.format(saved))
            if another is not None and ANOTHER in request.POST:
                return redirect(another(saved))
            return redirect(done(saved))
    return render(
        request,
        "web/forms/form.html",
        {"form": form, "page": page, "another": ANOTHER if another else "", **(context or {})},
        status=409 if getattr(form, "stale", False) else 400 if form.errors else 200,
    )


def delete_page(
    request: HttpRequest,
    item: Model,
    page: Page,
    *,
    delete: Callable[[], None],
    done: str,
    consequence: str = "",
) -> HttpResponse:
    """A POST deletes; GET (or a refused delete) shows the confirmation."""
    refused = ""
    if request.method == "POST":
        try:
            delete()
        except ProtectedError:
            refused = f"“{item}” still holds other things: move or delete them first."
        else:
            messages.success(request, f"Deleted “{item}”.")
            return redirect(done)
    return render(
        request,
        "web/forms/confirm_delete.html",
        {"item": item, "page": page, "consequence": consequence, "refused": refused},
        status=409 if refused else 200,
    )
