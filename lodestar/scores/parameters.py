"""The scoring settings as the pure module's parameters: one place reads them."""

from django.conf import settings

from lodestar import scoring


def okr_bands() -> scoring.OkrBands:
    return scoring.OkrBands(red_below=settings.OKR_RED_BELOW, green_from=settings.OKR_GREEN_FROM)


def rollup_bands() -> scoring.RollupBands:
    return scoring.RollupBands(
        red_below=settings.ROLLUP_RED_BELOW, green_from=settings.ROLLUP_GREEN_FROM
    )


def pace_rules() -> scoring.PaceRules:
    return scoring.PaceRules(
        behind_below=settings.PACE_BEHIND_BELOW,
        at_risk_below=settings.PACE_AT_RISK_BELOW,
        stale_after_days=settings.STALE_AFTER_DAYS,
    )
