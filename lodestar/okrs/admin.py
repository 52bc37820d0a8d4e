from django.contrib import admin

from lodestar.okrs.models import CheckIn, Cycle, KeyResult, Objective, ObjectiveKeyResult


@admin.register(Cycle)
class CycleAdmin(admin.ModelAdmin):
    list_display = ["name", "start", "end", "state"]
    list_filter = ["state"]


class HoldingInline(admin.TabularInline):
    model = ObjectiveKeyResult
    extra = 0
    autocomplete_fields = ["key_result"]


@admin.register(Objective)
class ObjectiveAdmin(admin.ModelAdmin):
    list_display = ["title", "cycle", "unit", "owner", "kind", "visibility", "score"]
    list_filter = ["cycle", "kind", "visibility"]
    search_fields = ["title"]
    autocomplete_fields = ["owner", "parent", "unit"]
    filter_horizontal = ["contributes_to"]
    readonly_fields = ["score"]
    inlines = [HoldingInline]


@admin.register(KeyResult)
class KeyResultAdmin(admin.ModelAdmin):
    list_display = ["title", "owner", "kind", "baseline", "target", "current", "score"]
    list_filter = ["cycle", "kind"]
    search_fields = ["title"]
    autocomplete_fields = ["owner", "linked_measure"]
    readonly_fields = ["progress", "score", "latest_confidence", "last_checkin_at"]


@admin.register(CheckIn)
class CheckInAdmin(admin.ModelAdmin):
    """Check-ins are append-only history: readable here, never edited."""

    list_display = ["key_result", "value", "confidence", "author", "created_at"]
    list_filter = ["key_result__cycle"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False
