"""The webhook delivery log page (/settings/webhooks/), for admins."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from lodestar.notify.models import WebhookDelivery, WebhookSubscription
from lodestar.org.permissions import Action, can

RECENT = 100


@login_required
def delivery_log(request: HttpRequest) -> HttpResponse:
    if not can(request.user, Action.VIEW, WebhookSubscription()):
        raise PermissionDenied
    status = request.GET.get("status", "")
    deliveries = WebhookDelivery.objects.select_related("subscription").prefetch_related("log")
    if status in WebhookDelivery.Status.values:
        deliveries = deliveries.filter(status=status)
    context = {
        "subscriptions": WebhookSubscription.objects.all(),
        "deliveries": deliveries.order_by("-created_at", "-pk")[:RECENT],
        "statuses": WebhookDelivery.Status.choices,
        "status": status,
    }
    return render(request, "notify/delivery_log.html", context)
