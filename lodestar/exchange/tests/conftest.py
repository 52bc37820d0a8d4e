"""Helpers for the exchange tests: workbooks and CSV files written on the fly."""

import io

import openpyxl
import pytest

from lodestar.exchange import uploads
from lodestar.exchange.backup import backup_document


def workbook(sheets: dict[str, list[list]]) -> bytes:
    """An .xlsx with one sheet per entry: its first list is the header row."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


@pytest.fixture
def database_state():
    """Every table's rows, to prove a refused import changed nothing."""
    return lambda: backup_document()["tables"]


@pytest.fixture(autouse=True)
def pending_uploads(tmp_path, monkeypatch):
    """Uploads kept for their confirmation go to the test's own folder."""
    folder = tmp_path / "imports"
    monkeypatch.setattr(uploads, "PENDING", folder)
    return folder
