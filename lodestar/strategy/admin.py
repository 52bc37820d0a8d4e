"""Read-only (see lodestar.audit.admin): a write here would skip the roll-up."""

from django.contrib import admin

from lodestar.audit.admin import ReadOnlyAdminMixin, ReadOnlyInline
from lodestar.strategy.models import (
    CauseEffectLink,
    Initiative,
    Measure,
    MeasureValue,
    Perspective,
    Scorecard,
    StrategicObjective,
    Theme,
)


class PerspectiveInline(ReadOnlyInline):
    model = Perspective
    readonly_fields = ["score", "execution"]


@admin.register(Scorecard)
class ScorecardAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["name", "unit", "period_start", "period_end", "score", "execution"]
    search_fields = ["name", "unit__name"]
    readonly_fields = ["score", "execution"]
    inlines = [PerspectiveInline]


@admin.register(Perspective)
class PerspectiveAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["name", "scorecard", "position", "weight", "score"]
    readonly_fields = ["score", "execution"]


@admin.register(Theme)
class ThemeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["name", "scorecard"]


@admin.register(StrategicObjective)
class StrategicObjectiveAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["code", "name", "perspective", "owner", "weight", "performance", "execution"]
    list_filter = ["scorecard", "perspective__name"]
    search_fields = ["name", "code"]
    readonly_fields = ["performance", "execution"]


@admin.register(CauseEffectLink)
class CauseEffectLinkAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["cause", "effect", "hypothesis"]


class MeasureValueInline(ReadOnlyInline):
    model = MeasureValue


@admin.register(Measure)
class MeasureAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["name", "objective", "direction", "baseline", "target", "status"]
    list_filter = ["direction", "frequency", "leading", "status"]
    search_fields = ["name"]
    readonly_fields = ["performance", "status"]
    inlines = [MeasureValueInline]


@admin.register(Initiative)
class InitiativeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["name", "owner", "status", "percent_complete", "budget", "spent"]
    list_filter = ["status"]
