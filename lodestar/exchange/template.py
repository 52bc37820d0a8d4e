"""The template workbook (each sheet's header and an example row, from the layout) and
the starter templates: whole scorecards with OKRs, shipped as workbooks in `templates/`
(built from `starters.py` by `scripts/build_starters.py`) and applied as imports."""

from pathlib import Path

from lodestar.exchange.exporter import Rows, xlsx_bytes
from lodestar.exchange.layout import SHEETS

STARTERS = Path(__file__).resolve().parent / "templates"


def example_rows() -> Rows:
    rows: Rows = {}
    for sheet in SHEETS:
        examples = [{c.name: c.example for c in sheet.columns}, *sheet.more_examples]
        rows[sheet.name] = [
            [example.get(c.name) if example.get(c.name) != "" else None for c in sheet.columns]
            for example in examples
        ]
    return rows


def template_workbook() -> bytes:
    return xlsx_bytes(example_rows())


def starter_names() -> list[str]:
    return sorted(path.stem for path in STARTERS.glob("*.xlsx"))


def starter_path(name: str) -> Path | None:
    path = STARTERS / f"{name}.xlsx"
    return path if name in starter_names() else None
