"""Hostile and broken uploads, through the import page and the `lodestar import` command
(there is no import endpoint in the API): each gets a clear refusal naming the problem (a
400 on the page, a non-zero exit from the command), in memory under `PEAK_BOUND` measured
here with tracemalloc, writing nothing to the database and leaving nothing on disk."""

import io
import re
import tempfile
import time
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from lodestar.exchange import uploads
from lodestar.exchange.reader import LIMITS
from lodestar.exchange.tests.conftest import workbook

PEAK_BOUND = (
    8 * 1024 * 1024
)  # bytes allocated at the peak, above what was before (measured: ≤ 1.3 MB)
UNITS_BOOK = {"units": [["key", "name"], ["u", "U"]]}


def zipped(members: dict[str, bytes], kind=zipfile.ZIP_DEFLATED) -> bytes:
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w", kind) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return stream.getvalue()


def xlsx_with(member: str, data: bytes) -> bytes:
    """A real workbook with one of its parts replaced."""
    with zipfile.ZipFile(io.BytesIO(workbook(UNITS_BOOK))) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    return zipped({**parts, member: data})


SHEET = "xl/worksheets/sheet1.xml"
MAIN = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def sheet_xml(rows: bytes) -> bytes:
    return (
        b"<?xml version='1.0'?><worksheet "
        + MAIN
        + b"><sheetData>"
        + rows
        + b"</sheetData></worksheet>"
    )


def two_million_lines() -> bytes:
    return zipped({"units.csv": b"key,name\n" + b"u,U\n" * 2_000_000})


def bad_crc() -> bytes:
    data = bytearray(zipped({"units.csv": b"key,name\n" + b"u,Unit\n" * 100}, zipfile.ZIP_STORED))
    at = data.index(b"Unit") + 1
    data[at] ^= 0x20  # one byte of the stored file changed: its CRC-32 no longer matches
    return bytes(data)


def encrypted() -> bytes:
    data = bytearray(zipped({"units.csv": b"key,name\nu,U\n"}, zipfile.ZIP_STORED))
    data[6] |= 1  # the local header's "encrypted" flag
    central = data.index(b"PK\x01\x02")
    data[central + 8] |= 1  # and the central directory's
    return bytes(data)


def entity() -> bytes:
    laughs = b'<!DOCTYPE worksheet [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;">]>'
    return xlsx_with(
        SHEET,
        b"<?xml version='1.0'?>" + laughs + b"<worksheet " + MAIN + b"><sheetData>"
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>&b;</t></is></c></row>'
        b"</sheetData></worksheet>",
    )


def deep() -> bytes:
    return xlsx_with(SHEET, sheet_xml(b"<x>" * 200_000 + b"</x>" * 200_000))


CORPUS = {
    # name: (file name, bytes, a phrase the refusal says)
    "a zip bomb: 2 million lines of units.csv": (
        "bomb.zip",
        two_million_lines,
        f"More than {LIMITS.rows:,} rows",
    ),
    "a zip bomb: 400 MB of one part": (
        "bomb.xlsx",
        lambda: xlsx_with(SHEET, b"\0" * (400 * 1024 * 1024)),
        "would unpack to",
    ),
    "a zip of many parts": (
        "parts.zip",
        lambda: zipped({f"p{i}.csv": b"" for i in range(LIMITS.members + 1)}),
        "parts",
    ),
    "deep XML": ("deep.xlsx", deep, "nested deeper than"),
    "an entity declaration": ("laughs.xlsx", entity, "declares entities"),
    "a row of 60 MB": (
        "row.zip",
        lambda: zipped({"units.csv": b"key,name\nu," + b"a" * (60 * 1024 * 1024) + b"\n"}),
        "row 2 is longer than",
    ),
    "a row of 1,000 cells": (
        "cells.zip",
        lambda: zipped({"units.csv": b"key,name\n" + b"," * 1_000 + b"\n"}),
        "1,001 cells",
    ),
    "a cell far to the right": (
        "wide.xlsx",
        lambda: xlsx_with(SHEET, sheet_xml(b'<row r="1"><c r="XFD1"><v>1</v></c></row>')),
        "column 16384",
    ),
    "a row far down": (
        "long.xlsx",
        lambda: xlsx_with(SHEET, sheet_xml(b'<row r="1048576"><c r="A1048576"><v>1</v></c></row>')),
        "row 1048576",
    ),
    "a wrong CRC": ("crc.zip", bad_crc, "damaged"),
    "an encrypted zip": ("secret.zip", encrypted, "encrypted"),
    "a password-protected workbook": (
        "secret.xlsx",
        lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512,
        "password",
    ),
    "not a real XLSX": ("fake.xlsx", lambda: b"key,name\nu,U\n", "not an XLSX workbook"),
    "a CSV that is not UTF-8": (
        "units.csv",
        lambda: "key,name\nm,Müller\n".encode("cp1252"),
        "not UTF-8",
    ),
    "a 0-byte file": ("units.csv", lambda: b"", "empty"),
    "a wrong extension": ("units.txt", lambda: b"key,name\nu,U\n", "is not a spreadsheet"),
}


def measured(call):
    """What `call` returns or raises, and the peak of memory it allocated."""
    tracemalloc.start()
    tracemalloc.reset_peak()
    base = tracemalloc.get_traced_memory()[0]
    try:
        outcome = call()
    except CommandError as error:
        outcome = error
    finally:
        peak = tracemalloc.get_traced_memory()[1] - base
        tracemalloc.stop()
    return outcome, peak


def leftovers() -> set[str]:
    temporary = {p.name for p in Path(tempfile.gettempdir()).glob("*.upload*")}
    kept = uploads.PENDING
    return temporary | ({p.name for p in kept.iterdir()} if kept.exists() else set())


@pytest.mark.parametrize("case", CORPUS)
def test_a_hostile_upload_is_refused_clearly_in_little_memory_through_the_page(
    world, signed_in, database_state, case
):
    name, make, phrase = CORPUS[case]
    data, client = make(), signed_in(world.member)
    client.get("/import/")  # the page's code loaded: what is measured is the upload's
    before, files = database_state(), leftovers()
    started = time.monotonic()
    response, peak = measured(
        lambda: client.post("/import/", {"file": SimpleUploadedFile(name, data)})
    )
    print(
        f"page | {case} | {len(data):,} B | {peak / 2**20:.1f} MB "
        f"| {time.monotonic() - started:.1f} s"
    )
    assert response.status_code == 400
    [error] = re.findall(r'role="alert">([^<]*)<', response.content.decode())
    assert phrase in error, error
    assert peak < PEAK_BOUND
    assert database_state() == before and leftovers() == files


@pytest.mark.parametrize("case", CORPUS)
def test_a_hostile_file_is_refused_clearly_in_little_memory_by_the_command(
    world, database_state, tmp_path, case
):
    name, make, phrase = CORPUS[case]
    path = tmp_path / name
    path.write_bytes(make())
    before, errors = database_state(), io.StringIO()
    outcome, peak = measured(
        lambda: call_command(
            "import", str(path), "--as", "member", stdout=io.StringIO(), stderr=errors
        )
    )
    print(f"command | {case} | {peak / 2**20:.1f} MB")
    assert isinstance(outcome, CommandError) and "nothing was imported" in str(outcome)
    assert phrase in errors.getvalue(), errors.getvalue()
    assert peak < PEAK_BOUND
    assert database_state() == before and sorted(tmp_path.iterdir()) == [path]


def test_an_upload_over_the_byte_limit_is_refused_before_it_is_read(world, signed_in, monkeypatch):
    from lodestar.exchange import reader

    monkeypatch.setattr(reader, "LIMITS", reader.Limits(upload_bytes=1000))
    response = signed_in(world.member).post(
        "/import/", {"file": SimpleUploadedFile("u.csv", b"x" * 5000)}
    )
    assert response.status_code == 400 and b"larger than 1,000 bytes" in response.content
