"""How the figures of one measure or key result are written: one style (its unit, its
decimals) for its baseline, target and values alike, by `scoring.numbers.figure_style`."""

from collections.abc import Iterable

from lodestar.okrs.models import KeyResult
from lodestar.scoring.numbers import FigureStyle, figure_style
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
