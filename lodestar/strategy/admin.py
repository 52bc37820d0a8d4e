from django.contrib import admin

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


class PerspectiveInline(admin.TabularInline):
    model = Perspective
    extra = 0
    readonly_fields = ["score", "execution"]


@admin.register(Scorecard)
class ScorecardAdmin(admin.ModelAdmin):
    list_display = ["name", "unit", "period_start", "period_end", "score", "execution"]
    search_fields = ["name", "unit__name"]
    readonly_fields = ["score", "execution"]
    inlines = [PerspectiveInline]


@admin.register(Perspective)
class PerspectiveAdmin(admin.ModelAdmin):
    list_display = ["name", "scorecard", "position", "weight", "score"]
    readonly_fields = ["score", "execution"]


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name", "scorecard"]


@admin.register(StrategicObjective)
class StrategicObjectiveAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "perspective", "owner", "weight", "performance", "execution"]
    list_filter = ["scorecard", "perspective__name"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["owner", "parent"]
    readonly_fields = ["performance", "execution"]


@admin.register(CauseEffectLink)
class CauseEffectLinkAdmin(admin.ModelAdmin):
    list_display = ["cause", "effect", "hypothesis"]
    autocomplete_fields = ["cause", "effect"]


class MeasureValueInline(admin.TabularInline):
    model = MeasureValue
    extra = 0


@admin.register(Measure)
class MeasureAdmin(admin.ModelAdmin):
    list_display = ["name", "objective", "direction", "baseline", "target", "status"]
    list_filter = ["direction", "frequency", "leading", "status"]
    search_fields = ["name"]
    readonly_fields = ["performance", "status"]
    inlines = [MeasureValueInline]


@admin.register(Initiative)
class InitiativeAdmin(admin.ModelAdmin):
    list_display = ["name", "owner", "status", "percent_complete", "budget", "spent"]
    list_filter = ["status"]
    filter_horizontal = ["objectives"]
