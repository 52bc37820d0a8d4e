"""Read-only (see lodestar.audit.admin): a write here would skip the roll-up."""

from django.contrib import admin

from lodestar.audit.admin import ReadOnlyAdminMixin, ReadOnlyInline
from lodestar.okrs.models import CheckIn, Cycle, KeyResult, Objective, ObjectiveKeyResult


@admin.register(Cycle)
class CycleAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["name", "start", "end", "state"]
    list_filter = ["state"]


class HoldingInline(ReadOnlyInline):
    model = ObjectiveKeyResult


@admin.register(Objective)
class ObjectiveAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["title", "cycle", "unit", "owner", "kind", "visibility", "score"]
    list_filter = ["cycle", "kind", "visibility"]
    search_fields = ["title"]
    readonly_fields = ["score"]
    inlines = [HoldingInline]


@admin.register(KeyResult)
class KeyResultAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["title", "owner", "kind", "baseline", "target", "current", "score"]
    list_filter = ["cycle", "kind"]
    search_fields = ["title"]
    readonly_fields = ["progress", "score", "latest_confidence", "last_checkin_at"]


@admin.register(CheckIn)
class CheckInAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["key_result", "value", "confidence", "author", "created_at"]
    list_filter = ["key_result__cycle"]
