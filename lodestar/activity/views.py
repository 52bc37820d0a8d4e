"""The feeds' pages (one's own, a unit's, the company's) and the follow switch."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from lodestar.activity.selectors import (
    COMPANY,
    FOLLOWABLES,
    KINDS,
    Scope,
    chosen_kinds,
    feed_page,
    person_scope,
    unit_scope,
)
from lodestar.activity.services import follow_set
from lodestar.org.models import Unit
from lodestar.web.loading import load


def feed(request: HttpRequest, scope: Scope, title: str, **context) -> HttpResponse:
    kinds = chosen_kinds(request.GET.getlist("kind"))
    page = feed_page(request.user, scope, kinds, request.GET.get("page"))
    query = "".join(f"&kind={kind}" for kind in kinds if len(kinds) < len(KINDS))
    context |= {"title": title, "page": page, "kinds": KINDS, "chosen": kinds, "query": query}
    return render(request, "activity/feed.html", context)


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    return feed(request, person_scope(request.user), "What happened to what you follow", own=True)


@login_required
@require_GET
def company(request: HttpRequest) -> HttpResponse:
    return feed(request, COMPANY, "Activity across the company")


@login_required
@require_GET
def unit(request: HttpRequest, pk: int) -> HttpResponse:
    found = load(request, Unit, pk)
    return feed(request, unit_scope(found), f"Activity in {found}", unit=found)


@login_required
@require_POST
def follow(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    followable = FOLLOWABLES.get(slug)
    if followable is None:
        raise Http404
    target = load(request, followable.model, pk)
    follow_set(acting=request.user, target=target, following=request.POST.get("following") == "1")
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        back = reverse(followable.page, args=[pk])
    return redirect(back)
