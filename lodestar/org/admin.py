"""Read-only (see lodestar.audit.admin): the organisation is written through its services."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from lodestar.audit.admin import ReadOnlyAdminMixin, ReadOnlyInline
from lodestar.org.models import Membership, Person, Unit


class MembershipInline(ReadOnlyInline):
    model = Membership


@admin.register(Unit)
class UnitAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["name"]
    inlines = [MembershipInline]


@admin.register(Person)
class PersonAdmin(ReadOnlyAdminMixin, UserAdmin):
    list_display = ["username", "first_name", "last_name", "email", "role", "manager"]
    list_filter = ["role", "is_active"]
    fieldsets = (*UserAdmin.fieldsets, ("Lodestar", {"fields": ("role", "manager")}))
    inlines = [MembershipInline]
