"""People in the app (issue 23): the list everyone reads, and for whom the permission
layer lets change people (the admin) invitations, edits, leaving and coming back. An
invited person opens their e-mailed link to choose a password (`InvitationAccept`)."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.views.decorators.http import require_POST

from lodestar.audit.account import invitation_accepted
from lodestar.org.invitations import invitation_tokens
from lodestar.org.models import Membership, Person, Unit
from lodestar.org.permissions import Action
from lodestar.org.services import (
    person_deactivate,
    person_edit,
    person_invite,
    person_invite_again,
    person_invite_many,
    person_reactivate,
)
from lodestar.validation import one_line, parse_id
from lodestar.web.forms import run_service
from lodestar.web.forms.pages import Page, form_page, posted, url, with_query
from lodestar.web.forms.people import DeactivateForm, InviteForm, InviteManyForm, PersonForm
from lodestar.web.loading import load

PAGE_SIZE = 100
ACTIVE = {"yes": Q(is_active=True), "no": Q(is_active=False), "all": Q()}
# The search box reads the first 100 characters: a name, a user name or an e-mail.
SEARCH_LENGTH = 100


def may_manage(request: HttpRequest) -> bool:
    return request.reader.can(Action.CHANGE, Person())


def require_manager(request: HttpRequest) -> None:
    if not may_manage(request):
        raise PermissionDenied("Only an admin manages people.")


def people_crumbs() -> list[tuple[str, str]]:
    return [("People", reverse("people"))]


@login_required
def people(request: HttpRequest) -> HttpResponse:
    """Everyone, searched and filtered by unit, role and whether they are active."""
    query = request.GET.get("q", "")[:SEARCH_LENGTH].strip()
    unit_id = parse_id(request.GET.get("unit", ""))
    role = request.GET.get("role", "")
    active = request.GET.get("active", "yes")
    shown = request.reader.visible(Person).filter(ACTIVE.get(active, ACTIVE["yes"]))
    if query:
        words = Q()
        for field in ("first_name", "last_name", "username", "email"):
            words |= Q(**{f"{field}__icontains": query})
        shown = shown.filter(words)
    if unit_id is not None:
        shown = shown.filter(memberships__unit_id=unit_id)
    if role in Person.Role.values:
        shown = shown.filter(role=role)
    shown = shown.distinct().prefetch_related(
        Prefetch("memberships", Membership.objects.select_related("unit").order_by("unit__name"))
    )
    page = Paginator(shown, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "web/people.html",
        {
            "page": page,
            "query": query,
            "unit_id": unit_id,
            "role": role,
            "active": active if active in ACTIVE else "yes",
            "units": Unit.objects.order_by("name"),
            "roles": Person.Role.choices,
            "may_manage": may_manage(request),
            "next_page": with_query(
                reverse("people"), q=query, unit=unit_id, role=role, active=active
            ),
        },
    )


@login_required
def invite(request: HttpRequest) -> HttpResponse:
    require_manager(request)
    form = InviteForm(posted(request), initial={"units": request.GET.getlist("unit")})
    page = Page(
        "Invite a person",
        reverse("people"),
        people_crumbs(),
        submit="Invite",
        links=[("Invite many…", reverse("people-invite-many"))],
    )
    return form_page(
        request,
        form,
        page,
        write=lambda data: person_invite(acting=request.user, **data),
        done=lambda person: reverse("people"),
        message="Invited {0}: a link to choose a password went to {0.email}.",
        another=lambda person: reverse("people-invite"),
    )


@login_required
def invite_many(request: HttpRequest) -> HttpResponse:
    require_manager(request)
    form = InviteManyForm(posted(request), request.FILES or None)
    page = Page("Invite many people", reverse("people"), people_crumbs(), submit="Invite all")
    invited = None
    if request.method == "POST" and form.is_valid():
        try:
            rows = form.rows()
        except ValidationError as error:
            form.add_error(None, error)
        else:
            invited = run_service(form, lambda: person_invite_many(acting=request.user, rows=rows))
    if invited is not None:
        messages.success(request, f"Invited {len(invited)} people: each received a link.")
        return redirect("people")
    return render(
        request,
        "web/forms/form.html",
        {"form": form, "page": page},
        status=400 if form.errors else 200,
    )


@login_required
def person_edit_page(request: HttpRequest, pk: int) -> HttpResponse:
    person = load(request, Person, pk, Action.CHANGE)
    require_manager(request)
    initial = PersonForm.initial_from(person)
    initial["units"] = list(person.memberships.values_list("unit_id", flat=True))
    form = PersonForm(posted(request), initial=initial, person=person)
    actions = []
    if person.is_active and not person.has_usable_password() and person.email:
        actions.append(("Send the invitation again", url("person-invite-again", person)))
    if not person.is_active:
        actions.append(("Reactivate", url("person-reactivate", person)))
    links = [("Deactivate…", url("person-deactivate", person))] if person.is_active else []
    page = Page(
        f"Edit {person}",
        reverse("people"),
        people_crumbs(),
        actions=actions,
        links=links,
    )
    return form_page(
        request,
        form,
        page,
        write=lambda data: person_edit(acting=request.user, person=person, **form.changes()),
        done=lambda saved: reverse("people"),
        message="Saved {}.",
    )


@login_required
def deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    person = load(request, Person, pk, Action.CHANGE)
    require_manager(request)
    page = Page(
        f"Deactivate {person}",
        url("person-edit", person),
        people_crumbs(),
        submit="Deactivate",
    )
    return form_page(
        request,
        DeactivateForm(posted(request)),
        page,
        write=lambda data: person_deactivate(acting=request.user, person=person, **data),
        done=lambda saved: url("person-edit", saved),
        message="{} is deactivated: no sign-in, no API tokens; their history stays.",
    )


def person_post(service, done_message: str):
    """A button on the edit page: the service, then back to the page with what happened
    (or the refusal) said."""

    @login_required
    @require_POST
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        person = load(request, Person, pk, Action.CHANGE)
        require_manager(request)
        try:
            service(acting=request.user, person=person)
        except ValidationError as error:
            messages.error(request, one_line(error))
        else:
            messages.success(request, done_message.format(person))
        return redirect(url("person-edit", person))

    return view


invite_again = person_post(person_invite_again, "A new invitation went to {0.email}.")
reactivate = person_post(person_reactivate, "{} is active again.")


class InvitationAccept(auth_views.PasswordResetConfirmView):
    """The invitation's link: choose a password, once. Django's reset page with the
    invitation's own token, which dies when the password is set."""

    template_name = "registration/invitation.html"
    token_generator = invitation_tokens
    reset_url_token = "choose-password"
    success_url = reverse_lazy("login")

    def get_user(self, uidb64):
        person = super().get_user(uidb64)
        return person if person is not None and person.is_active else None

    def form_valid(self, form):
        messages.success(self.request, f"Your password is set: sign in as {form.user.username}.")
        response = super().form_valid(form)
        invitation_accepted(form.user)  # in their history, from where they accepted
        return response
