"""What the strategy pages show beside the figures: a status as a word and a colour,
the pictures (strategy map, charts) built from model rows, and the plain reading of
performance against execution. Pictures come escaped from `lodestar.web.svg`."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from lodestar import scoring
from lodestar.scores.words import (
    execution_colour_of,
    okr_colour_of,
    okr_scale,
    performance_colour_of,
    strategy_scale,
)
from lodestar.scoring.outcomes import OKR_JUDGEMENT
from lodestar.strategy.models import (
    CauseEffectLink,
    Initiative,
    Measure,
    Perspective,
    StrategicObjective,
)
from lodestar.web.pagedata.strategy import threshold_bands
from lodestar.web.svg import charts, strategy_map

# Execution and performance further apart than this (on the 0-1 scale) is worth a word.
NOTABLE_DIVERGENCE = 0.2


# Alerts shown one by one on the dashboard and a unit page, most severe first; the rest
# are counted by kind and listed on the alignment page.
ALERTS_FIRST = 10
# Of a group of alerts, those listed under it; the alignment page lists them all.
ALERT_MEMBERS_SHOWN = 25


MEASURE_SCALE = "Measure status: against its own target and warning value"


@dataclass(frozen=True)
class Status:
    score: float | None
    colour: str
    word: str
    scale: str = ""  # the scale that judged it, in words (a chip's title)


def rollup_status(score: float | None) -> Status:
    """Performance of a strategic objective, perspective or scorecard: the strategy scale."""
    colour = performance_colour_of(score)
    return Status(score, colour, scoring.status_word(colour), strategy_scale().summary)


def execution_status(score: float | None) -> Status:
    """Execution is an average of OKR scores: the OKR scale, its colour as the word."""
    colour = execution_colour_of(score)
    return Status(score, colour, "N/A" if score is None else colour, okr_scale().summary)


def okr_status(score: float | None) -> Status:
    """OKR scores have their own, lower bands (stretch goals): the colour is the word."""
    colour = okr_colour_of(score)
    return Status(score, colour, "no score" if score is None else colour, okr_scale().summary)


def measure_status(measure: Measure) -> Status:
    return judged_status(measure.performance, measure.status)


def judged_status(performance: float | None, colour: str) -> Status:
    """A measure's status from its performance and colour (a measure, or a value judged
    as of a quarter's end)."""
    return Status(performance, colour, scoring.status_word(colour), MEASURE_SCALE)


def initiative_money(initiative: Initiative) -> tuple[float, float]:
    """Earned value and cost variance, by the scoring rules."""
    budget, percent = float(initiative.budget), initiative.percent_complete
    return (
        scoring.earned_value(budget=budget, percent_complete=percent),
        scoring.cost_variance(
            budget=budget, percent_complete=percent, spent=float(initiative.spent)
        ),
    )


def map_svg(
    title: str,
    perspectives: list[Perspective],
    objectives: list[StrategicObjective],
    links: list[CauseEffectLink],
    *,
    width: float = strategy_map.WIDE_WIDTH,
) -> SafeString:
    bands = [strategy_map.MapBand(p.pk, p.name, p.position) for p in perspectives]
    nodes = [
        strategy_map.MapNode(
            o.pk,
            o.perspective_id,
            o.name,
            rollup_status(o.performance).colour,
            reverse("strategic-objective", args=[o.pk]),
            o.code,
            tuple(o.targets),  # pagedata.strategy.map_contents: what it was judged against
        )
        for o in objectives
    ]
    pairs = [(link.cause_id, link.effect_id) for link in links]
    layout = strategy_map.layout(bands, nodes, pairs, width=width)
    return mark_safe(strategy_map.render(layout, title=title))  # render() escapes every text


@dataclass(frozen=True)
class MapPictures:
    """The map drawn for a wide screen and for a phone (web/_map.html shows the one that
    fits): a phone gets boxes it can read, not the wide drawing shrunk to a third."""

    wide: SafeString
    narrow: SafeString


def map_pictures(title: str, *contents) -> MapPictures:
    """`contents`: the perspectives, objectives and links, as `map_svg` takes them."""
    return MapPictures(
        map_svg(title, *contents), map_svg(title, *contents, width=strategy_map.NARROW_WIDTH)
    )


def sparkline_svg(values: list[float | None], label: str, **scale) -> SafeString:
    return mark_safe(charts.sparkline(values, label=label, **scale))  # escaped by charts


def progress_bar_svg(percent: int, label: str) -> SafeString:
    return mark_safe(charts.bar(percent / 100, label=label))  # escaped by charts


def measure_chart(measure: Measure, values: list) -> SafeString:
    actuals = [v.actual for v in values]
    chart = charts.line_chart(
        [(v.period, v.actual) for v in values],
        title=f"{measure.name}: values, target and thresholds",
        target=measure.target,
        bands=threshold_bands(measure, actuals),
        unit=f" {measure.unit_of_measure}" if measure.unit_of_measure else "",
    )
    return mark_safe(chart)  # escaped by charts


def divergence_reading(performance: float | None, execution: float | None) -> str:
    """One plain sentence on execution against performance (docs/scoring.md: the divergence
    is the signal)."""
    gap = scoring.divergence(performance, execution)
    if gap is None:
        if execution is None and performance is None:
            return "Neither results nor OKR work are measured yet."
        if execution is None:
            return "No OKR of the active cycle works on this objective yet."
        return "The work is scored, but no measure has a value yet: impact is unknown."
    if gap > NOTABLE_DIVERGENCE:
        # The OKRs are judged by the OKR bands, as their chip is: 0.54 is yellow, not "well".
        colour = execution_colour_of(execution)
        return (
            f"Execution runs ahead of performance: the OKRs {OKR_JUDGEMENT[colour]} "
            f"({execution:.2f} {colour}) but the measures have not moved as much yet — "
            "busy without impact, or impact still to come."
        )
    if gap < -NOTABLE_DIVERGENCE:
        return (
            "Performance runs ahead of execution: results arrive with little planned OKR "
            "work behind them — find out what drives them, or refresh the OKRs."
        )
    return "Execution and performance move together."
