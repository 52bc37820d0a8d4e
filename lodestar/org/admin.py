from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from lodestar.org.models import Membership, Person, Unit


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["person", "unit"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["name"]
    inlines = [MembershipInline]


@admin.register(Person)
class PersonAdmin(UserAdmin):
    list_display = ["username", "first_name", "last_name", "email", "role", "manager"]
    list_filter = ["role", "is_active"]
    fieldsets = (*UserAdmin.fieldsets, ("Lodestar", {"fields": ("role", "manager")}))
    autocomplete_fields = ["manager"]
    inlines = [MembershipInline]
