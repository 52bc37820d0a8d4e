"""The words of a pace and of a status, for templates: `{{ row.pace|pace_word }}`,
`{{ measure.status|status_word }}`, `{{ value|figure:measure }}` (a figure with its
unit and decimals: "12,206 users"), and `{% scale_legend %}` where both colour scales
meet. The same functions the API, messages and pictures use, so no page can word them
differently."""

from django import template

from lodestar import scoring
from lodestar.okrs.selectors import objective_succeeded
from lodestar.scores import figures, words
from lodestar.scores.figures import style_of
from lodestar.scoring import outcomes
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


@register.simple_tag
def judged_against(measure, value, of) -> str:
    """`{% judged_against measure value figures %}`: the target its status was judged
    against, "7.17% for Oct 2026 · 5.00% by Oct 2028" (`value`: the value judged)."""
    return figures.judged_against(measure, value or None, style_of(of))


@register.filter
def period_name(start, frequency: str) -> str:
    """A value's period in words, by its measure's frequency: "Oct 2026", "Q4 2026"."""
    return named_period(frequency, start)


@register.filter
def outcome_word(outcome: str) -> str:
    """Where an objective stands, in the one word of `scoring.outcomes`."""
    return outcomes.outcome_word(outcome)


@register.filter
def outcome_colour(outcome: str) -> str:
    return outcomes.outcome_colour(outcome)


@register.filter
def outcome_is_pace(outcome: str) -> bool:
    return outcomes.Outcome(outcome) in outcomes.PACES


@register.filter
def objective_outcome_of(objective, pace) -> str:
    """`{{ objective|objective_outcome_of:pace }}`: the objective's state (planned, its
    pace, or its verdict once its cycle has closed or it is graded)."""
    return outcomes.objective_outcome(
        cycle_state=objective.cycle.state,
        graded=objective.final_grade is not None,
        succeeded=objective_succeeded(objective),
        pace=pace or None,
    )
