"""The words of a pace and of a status, for templates: `{{ row.pace|pace_word }}`,
`{{ measure.status|status_word }}`, `{{ value|figure:measure }}` (a figure with its
unit and decimals: "12,206 users"), and `{% scale_legend %}` where both colour scales
meet. The same functions the API, messages and pictures use, so no page can word them
differently."""

from django import template

from lodestar import scoring
from lodestar.scores import words
from lodestar.scores.figures import style_of
from lodestar.scoring.periods import period_name as named_period

register = template.Library()


@register.filter
def pace_word(pace: scoring.Pace | str | None) -> str:
    return words.pace_word(pace or None)


@register.filter
def status_word(colour: str) -> str:
    return scoring.status_word(colour)


@register.inclusion_tag("web/_scale_legend.html")
def scale_legend() -> dict:
    """The two colour scales side by side, where both meet on a page."""
    return {"scales": [words.strategy_scale(), words.okr_scale()]}


@register.filter
def figure(value: float | None, of) -> str:
    """`value` written by the style of `of`: a measure, a key result, a style or a unit;
    a missing value (None, or a variable the template lacks) is "N/A"."""
    return style_of(of).show(None if value == "" else value)


@register.filter
def period_name(start, frequency: str) -> str:
    """A value's period in words, by its measure's frequency: "Oct 2026", "Q4 2026"."""
    return named_period(frequency, start)
