"""A bad colour band, pace limit or roll-up mode fails `lodestar check` at start-up, not a
page view or a write."""

from django.conf import settings
from django.core.checks import Error, register

from lodestar.scores.parameters import okr_bands, pace_rules, rollup_bands
from lodestar.scores.rollup import ROLLUP_MODES
from lodestar.scoring import ScoringError

# Each parameter builder with the setting behind each of its fields, so that the error
# names what a person sets, not the pure module's argument.
SETTINGS_OF = {
    okr_bands: {"red_below": "OKR_RED_BELOW", "green_from": "OKR_GREEN_FROM"},
    rollup_bands: {"red_below": "ROLLUP_RED_BELOW", "green_from": "ROLLUP_GREEN_FROM"},
    pace_rules: {
        "behind_below": "PACE_BEHIND_BELOW",
        "at_risk_below": "PACE_AT_RISK_BELOW",
        "stale_after_days": "STALE_AFTER_DAYS",
    },
}


def in_setting_names(text: str, settings_of_fields: dict[str, str]) -> str:
    for field, setting in settings_of_fields.items():
        text = text.replace(field, setting)
    return text


@register()
def scoring_settings_check(app_configs, **kwargs) -> list[Error]:
    errors = []
    for build, settings_of_fields in SETTINGS_OF.items():
        try:
            build()
        except ScoringError as error:
            setting = settings_of_fields.get(error.field, error.field)
            message = in_setting_names(error.message, settings_of_fields)
            errors.append(Error(f"Scoring settings: {setting} {message}", id="lodestar.E001"))
        except (TypeError, ValueError) as error:
            errors.append(Error(f"Scoring settings: {error}", id="lodestar.E001"))
    return errors


@register()
def rollup_mode_check(app_configs, **kwargs) -> list[Error]:
    """Any other word would silently mean "inline"."""
    if settings.ROLLUP_STRATEGY in ROLLUP_MODES:
        return []
    modes = " or ".join(f'"{mode}"' for mode in ROLLUP_MODES)
    found = settings.ROLLUP_STRATEGY
    return [Error(f'ROLLUP_STRATEGY must be {modes}, not "{found}"', id="lodestar.E002")]
