"""The admin of the domain models reads, never writes: a write there would skip the
services (their rules, the roll-up: a measure's target changed in the admin would leave
every stored score above it stale). Every object's change history is one link away.

The domain's writes are the pages, the API and the commands; what the admin edited
before has a service there: units and people (`/api/v1/units/`, `/api/v1/people/`),
memberships (`membership_set`), check-ins, values and the rest. Passwords, which have no
service and no score, are changed with `lodestar changepassword USER`.
"""

from auditlog.context import set_actor
from auditlog.mixins import AuditlogHistoryAdminMixin
from django.contrib import admin


class NoWrites:
    """No add, change or delete (a POST to a change form is refused with 403)."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyAdminMixin(NoWrites, AuditlogHistoryAdminMixin):
    """List, search and detail pages, and the object's history; no writes."""

    show_auditlog_history_link = True


class ReadOnlyInline(NoWrites, admin.TabularInline):
    extra = 0


class ActorRecordingAdminMixin(AuditlogHistoryAdminMixin):
    """For what stays editable in the admin (webhook subscriptions, API tokens: no score
    depends on them): the history records the signed-in admin as the actor."""

    show_auditlog_history_link = True

    def changeform_view(self, request, *args, **kwargs):
        with set_actor(request.user):
            return super().changeform_view(request, *args, **kwargs)

    def delete_view(self, request, *args, **kwargs):
        with set_actor(request.user):
            return super().delete_view(request, *args, **kwargs)
