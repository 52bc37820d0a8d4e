"""The words of a pace and of a status, for templates: `{{ row.pace|pace_word }}`,
`{{ measure.status|status_word }}`, and `{% scale_legend %}` where both colour scales
meet. The same functions the API, messages and pictures use, so no page can word them
differently."""

from django import template

from lodestar import scoring
from lodestar.scores import words

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
