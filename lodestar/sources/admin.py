"""Read-only in the admin: sources are set up through the API or the pages (their
services check the connection, the URL and that no secret is stored)."""

from django.contrib import admin

from lodestar.sources.models import DataSource, SyncRun


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(DataSource)
class DataSourceAdmin(ReadOnly):
    list_display = ["name", "measure", "kind", "interval_minutes", "last_sync_at", "last_error"]
    list_filter = ["kind", "active"]


@admin.register(SyncRun)
class SyncRunAdmin(ReadOnly):
    list_display = ["source", "trigger", "started_at", "rows_accepted", "rows_refused", "error"]
    list_filter = ["trigger", "source"]
