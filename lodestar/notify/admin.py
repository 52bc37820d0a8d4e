from django.contrib import admin

from lodestar.audit.admin import ActorRecordingAdminMixin
from lodestar.notify.models import WebhookAttempt, WebhookDelivery, WebhookSubscription


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(ActorRecordingAdminMixin, admin.ModelAdmin):
    list_display = ["name", "url", "events", "active", "created_at"]


class WebhookAttemptInline(admin.TabularInline):
    model = WebhookAttempt
    extra = 0
    can_delete = False
    readonly_fields = ["at", "response_status", "error", "duration_ms"]


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    """The delivery log: what was sent where, how often, and what came back."""

    list_display = ["created_at", "event", "subscription", "status", "attempts", "delivered_at"]
    list_filter = ["status", "event", "subscription"]
    readonly_fields = [
        "subscription",
        "event",
        "body",
        "status",
        "attempts",
        "next_attempt_at",
        "created_at",
        "delivered_at",
    ]
    inlines = [WebhookAttemptInline]
