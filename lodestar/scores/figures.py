"""How the figures of one measure or key result are written: one style (its unit, its
decimals) for its baseline, target and values alike, by `scoring.numbers.figure_style`."""

from collections.abc import Iterable

from lodestar.okrs.models import KeyResult
from lodestar.scoring.numbers import FigureStyle, figure_style
from lodestar.scoring.periods import period_name
from lodestar.strategy.models import Measure


def key_result_style(key_result: KeyResult, values: Iterable[float] = ()) -> FigureStyle:
    """Its baseline, target and current value, and any check-in `values` shown beside."""
    figures = [key_result.baseline, key_result.target, key_result.current, *values]
    return figure_style(key_result.unit_label, figures)


def measure_style(measure: Measure, values: Iterable[float | None] = ()) -> FigureStyle:
    """Its baseline, target, band and warning value, and any `values` shown beside."""
    figures = [measure.baseline, measure.target, measure.upper, measure.warning, *values]
    return figure_style(measure.unit_of_measure, figures)


def style_of(item: KeyResult | Measure | FigureStyle | str) -> FigureStyle:
    """The style to write a figure of `item` with: a key result's or measure's own (from
    its definition), a style as given, or a bare unit."""
    if isinstance(item, FigureStyle):
        return item
    if isinstance(item, KeyResult):
        return key_result_style(item)
    if isinstance(item, Measure):
        return measure_style(item)
    return figure_style(item or "", [])


def judged_against(measure: Measure, value, style: FigureStyle | None = None) -> str:
    """The target a measure's status was judged against (docs/scoring.md, "A period's
    target"), in the one wording of every surface: the value's period target when that
    period is planned, then the final target and when it is due, "7.17 % for Oct 2026 ·
    5.00 % by Nov 2028". `value`: the value judged (a `MeasureValue`), or None; the
    measure's `objective.scorecard` at hand."""
    style = style or measure_style(measure)
    due = f"by {measure.objective.scorecard.period_end:%b %Y}"
    final = f"{band(measure.target, measure.upper, style)} {due}"
    if value is None or value.target is None:
        return final
    period = period_name(measure.frequency, value.period)
    return f"{band(value.target, measure.upper, style)} for {period} · {final}"


def band(target: float, upper: float | None, style: FigureStyle) -> str:
    """A target, or a range measure's band "95–105 %", written in `style`."""
    if upper is None:
        return style.show(target)
    return f"{style.bare.show(target)}–{style.show(upper)}"
