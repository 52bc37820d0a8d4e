"""The thread's pages: post under an object, edit and delete one's own comment, and the
people a mention may name (JSON for the form's completion). The thread itself is drawn
on each object's page (`{% comment_thread obj %}`)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from lodestar.conversation.models import Comment
from lodestar.conversation.selectors import KINDS, kind_of, mentionable
from lodestar.conversation.services import Posted, comment_delete, comment_edit, comment_post
from lodestar.okrs.models import CheckIn
from lodestar.org.permissions import Action
from lodestar.strategy.models import MeasureValue
from lodestar.validation import parse_id
from lodestar.web.loading import load


def target_of(request: HttpRequest, slug: str, pk: int):
    kind = KINDS.get(slug)
    if kind is None:
        raise Http404
    return load(request, kind.model, pk)


def thread_url(comment: Comment) -> str:
    target = comment.target
    return f"{reverse(kind_of(target).page, args=[target.pk])}#comment-{comment.pk}"


def optional(request: HttpRequest, model, name: str):
    """The object a form field names, if any (hidden or missing: 404)."""
    raw = request.POST.get(name, "")
    if not raw:
        return None
    pk = parse_id(raw)
    if pk is None:
        raise Http404
    return load(request, model, pk)


def tell_unreached(request: HttpRequest, posted: Posted) -> None:
    if posted.unreached:
        names = ", ".join(f"@{person.username}" for person in posted.unreached)
        messages.warning(
            request, f"Nobody was told about {names}: they may not see {posted.comment.target}."
        )


@login_required
@require_POST
def post(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    target = target_of(request, slug, pk)
    page = reverse(KINDS[slug].page, args=[pk])
    try:
        posted = comment_post(
            acting=request.user,
            target=target,
            body=request.POST.get("body", ""),
            checkin=optional(request, CheckIn, "checkin"),
            measure_value=optional(request, MeasureValue, "measure_value"),
            reply_to=optional(request, Comment, "reply_to"),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(f"{page}#comment-form")
    tell_unreached(request, posted)
    return redirect(thread_url(posted.comment))


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    comment = load(request, Comment, pk, Action.CHANGE)
    error = None
    if request.method == "POST":
        try:
            posted = comment_edit(
                acting=request.user, comment=comment, body=request.POST.get("body", "")
            )
        except ValidationError as refused:
            error = " ".join(refused.messages)
        else:
            tell_unreached(request, posted)
            return redirect(thread_url(comment))
    body = request.POST.get("body", comment.body)
    context = {"comment": comment, "body": body, "error": error, "back": thread_url(comment)}
    return render(request, "conversation/edit.html", context, status=400 if error else 200)


@login_required
@require_POST
def delete(request: HttpRequest, pk: int) -> HttpResponse:
    comment = load(request, Comment, pk, Action.DELETE)
    comment_delete(acting=request.user, comment=comment)
    return redirect(thread_url(comment))


@login_required
@require_GET
def people(request: HttpRequest, slug: str, pk: int) -> JsonResponse:
    target = target_of(request, slug, pk)
    found = mentionable(request.user, target, request.GET.get("q", "")[:100])
    return JsonResponse({"people": [{"username": p.username, "name": str(p)} for p in found]})
