"""A first mapping of a file's columns to Lodestar's fields, for the person to change:
by the headers' names first (a field's own names, then a header that contains one), then
by what the columns left hold (e-mails are owners, percentages progress, a column whose
values are the titles of other rows the parent, dates the start and end…)."""

from lodestar.exchange.mapping.fields import (
    DATE_FIELDS,
    FIELDS,
    NUMBER_FIELDS,
    TERM_OF,
    normalised,
)
from lodestar.exchange.mapping.source import Source
from lodestar.exchange.mapping.values import (
    CYCLES,
    DATES,
    EMAILS,
    NUMBERS,
    PERCENTS,
    TEXTS,
    blank,
    shape_of,
)

EXACT, CONTAINED = 100, 40
SAMPLE = 200  # rows whose values tell a column's shape


def fits(field: str, shape: str) -> bool:
    """Whether a column of values of this shape can hold the field ("Start" of numbers is
    a start value, not a start date)."""
    if field in DATE_FIELDS:
        return shape in (DATES, TEXTS)
    if field in NUMBER_FIELDS or field in ("progress", "confidence"):
        return shape in (NUMBERS, PERCENTS, TEXTS)
    return True


def header_scores(source: Source) -> list[tuple[int, int, str, str]]:
    """(score, -field order, header, field) for every header that names a field its
    values can be."""
    scores = []
    shapes = {h: shape_of(source.column(h)[:SAMPLE]) for h in source.headers}
    for order, field in enumerate(FIELDS):
        for header in source.headers:
            name = normalised(header)
            if not name or not fits(field.name, shapes[header]):
                continue
            if name in field.synonyms:
                score = EXACT - field.synonyms.index(name)
            elif len(name) > 3 and any(
                len(s) > 3 and (s in name or name in s) for s in field.synonyms
            ):
                score = CONTAINED
            else:
                continue
            scores.append((score, -order, header, field.name))
    return scores


def by_headers(source: Source) -> dict[str, str]:
    """{field: header}, the best-named pairs first, each header and field once."""
    chosen: dict[str, str] = {}
    for _, _, header, field in sorted(header_scores(source), reverse=True):
        if field not in chosen and header not in chosen.values():
            chosen[field] = header
    return chosen


def by_shapes(source: Source, chosen: dict[str, str]) -> dict[str, str]:
    """The fields still open, filled from the columns still free by their values."""
    chosen = dict(chosen)
    free = [header for header in source.headers if header not in chosen.values()]
    columns = {header: source.column(header)[:SAMPLE] for header in free}
    shapes = {header: shape_of(values) for header, values in columns.items()}

    def take(field: str, header: str) -> None:
        if field not in chosen and header in free:
            chosen[field] = header
            free.remove(header)

    for header in list(free):
        values = [v for v in columns[header] if not blank(v)]
        if shapes[header] == EMAILS:
            take("owner", header)
        elif shapes[header] == PERCENTS:
            take("progress", header)
        elif shapes[header] == CYCLES:
            take("cycle", header)
        elif values and all(normalised(v) in TERM_OF for v in values):
            take("type", header)
    for header, field in zip(
        [h for h in list(free) if shapes[h] == DATES], ("start_date", "end_date"), strict=False
    ):
        take(field, header)
    texts = [h for h in free if shapes[h] == TEXTS]
    if "title" not in chosen and texts:
        take("title", max(texts, key=lambda h: len({str(v) for v in columns[h]})))
    if "title" in chosen and "parent" not in chosen:
        titles = {normalised(v) for v in source.column(chosen["title"]) if not blank(v)}
        ids = {normalised(v) for v in source.column(chosen["id"])} if "id" in chosen else set()
        for header in [h for h in free if shapes[h] in (TEXTS, NUMBERS)]:
            values = {normalised(v) for v in columns[header] if not blank(v)}
            if values and values <= titles | ids and len(values) < len(titles | ids):
                take("parent", header)
    numbers = [h for h in free if shapes[h] == NUMBERS]
    for field in ("target", "current", "start_value"):
        if field not in chosen and numbers:
            take(field, numbers.pop(0))
    return chosen


def propose(source: Source) -> dict[str, str]:
    """{field: header} for the file's columns."""
    return by_shapes(source, by_headers(source))
