from django.contrib import admin

from lodestar.api.models import ApiToken
from lodestar.audit.admin import ActorRecordingAdminMixin


@admin.register(ApiToken)
class ApiTokenAdmin(ActorRecordingAdminMixin, admin.ModelAdmin):
    list_display = ["name", "person", "prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["prefix", "hashed", "created_at", "last_used_at"]
