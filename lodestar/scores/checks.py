"""A bad colour band or pace limit fails `lodestar check` at start-up, not a page view."""

from django.core.checks import Error, register

from lodestar.scores.parameters import okr_bands, pace_rules, rollup_bands
from lodestar.scoring import ScoringError


@register()
def scoring_settings_check(app_configs, **kwargs) -> list[Error]:
    errors = []
    for build in (okr_bands, rollup_bands, pace_rules):
        try:
            build()
        except (ScoringError, TypeError, ValueError) as error:
            message = getattr(error, "message", str(error))
            errors.append(Error(f"Scoring settings: {message}", id="lodestar.E001"))
    return errors
