"""Pages of the API app: personal tokens (/settings/tokens/)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from lodestar.api.models import ApiToken
from lodestar.api.services import EXPIRY_RULE, api_token_create, api_token_revoke
from lodestar.org.permissions import Action


def days_of(written: str) -> int | None:
    """The form's "expires after N days"; left empty, the token never expires."""
    if not written:
        return None
    try:
        return int(written)
    except ValueError as error:
        raise ValidationError({"days": [EXPIRY_RULE]}) from error


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    """List the person's tokens; on POST create one and show its secret this once."""
    context = {"secret": None, "errors": {}, "name": "", "days": "", "read_only": False}
    if request.method == "POST":
        context["name"] = request.POST.get("name", "").strip()
        context["days"] = request.POST.get("days", "").strip()
        context["read_only"] = request.POST.get("read_only") == "on"
        try:
            _, context["secret"] = api_token_create(
                acting=request.user,
                person=request.user,
                name=context["name"],
                days=days_of(context["days"]),
                read_only=context["read_only"],
            )
        except ValidationError as error:
            context["errors"] = error.message_dict
    context["tokens"] = ApiToken.objects.filter(person=request.user)
    status = 400 if context["errors"] else 200
    return render(request, "api/tokens.html", context, status=status)


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    # One's own tokens only, an admin's too.
    token = request.reader.load(ApiToken.objects.filter(person=request.user), pk, Action.DELETE)
    api_token_revoke(acting=request.user, token=token)
    return redirect("api-tokens")
