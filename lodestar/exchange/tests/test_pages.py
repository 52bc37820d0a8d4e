"""The import pages: upload, preview, confirm; template, exports and starters."""

import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile

from lodestar.exchange.tests.conftest import workbook
from lodestar.jobs.testing import run_jobs
from lodestar.org.models import Unit
from lodestar.strategy.models import Scorecard

UNITS = {"units": [["key", "name", "kind", "parent"], ["web", "Web team", "team", None]]}


def upload(client, data: bytes, name: str = "book.xlsx"):
    return client.post("/import/", {"file": SimpleUploadedFile(name, data)})


def test_an_upload_previews_then_the_confirmation_imports(world, signed_in):
    client = signed_in(world.admin)
    assert client.get("/import/").status_code == 200
    preview = upload(client, workbook(UNITS))
    assert b"units: 1 created" in preview.content and b"Confirm the import" in preview.content
    assert not Unit.objects.filter(name="Web team").exists()
    token = preview.context["token"]
    confirmed = client.post("/import/confirm/", {"token": token, "filename": "book.xlsx"})
    status = confirmed["Location"]
    assert status.startswith("/import/jobs/")  # a worker imports it: the request never waits
    assert b"Waiting for a worker" in client.get(status).content
    assert not Unit.objects.filter(name="Web team").exists()
    run_jobs("imports")
    done = client.get(status)
    assert b"Imported" in done.content and b"units: 1 created" in done.content
    assert Unit.objects.filter(name="Web team").exists()


def test_a_refused_upload_lists_every_problem_and_offers_no_confirmation(world, signed_in):
    response = upload(signed_in(world.lead), workbook(UNITS))
    assert b"Only an admin may change the organisation." in response.content
    assert b"Confirm the import" not in response.content
    not_a_sheet = upload(signed_in(world.admin), b"hello", "notes.txt")
    assert b"is not a spreadsheet" in not_a_sheet.content


def test_someone_else_cannot_confirm_an_upload(world, signed_in):
    token = upload(signed_in(world.admin), workbook(UNITS)).context["token"]
    response = signed_in(world.lead).post(
        "/import/confirm/", {"token": token, "filename": "b.xlsx"}
    )
    assert response.status_code == 404 and not Unit.objects.filter(name="Web team").exists()


def test_the_template_and_the_exports_download_as_workbooks(world, signed_in):
    client = signed_in(world.viewer)
    template = openpyxl.load_workbook(io.BytesIO(client.get("/import/template.xlsx").content))
    assert "key_results" in template.sheetnames and template["units"].max_row == 2
    export = openpyxl.load_workbook(io.BytesIO(client.get("/export.xlsx").content))
    assert export["units"]["B2"].value == "Acme"
    card = Scorecard.objects.get()
    page = client.get(f"/scorecards/{card.pk}/")
    assert f"/scorecards/{card.pk}/export.xlsx".encode() in page.content
    sheets = openpyxl.load_workbook(
        io.BytesIO(client.get(f"/scorecards/{card.pk}/export.xlsx").content)
    ).sheetnames
    assert sheets[0] == "scorecards" and "objectives" not in sheets
    assert client.get(f"/scorecards/{card.pk}/export.pdf").status_code == 404


def test_a_starter_template_applies_from_the_page(world, signed_in):
    response = signed_in(world.admin).post("/import/starters/public-sector/", follow=True)
    assert b"Applied the public-sector template" in response.content
    card = Scorecard.objects.get(unit__name="Example City Services")
    assert [p.name for p in card.perspectives.order_by("-position")][:2] == [
        "Mission",
        "Stakeholder",
    ]


def test_the_strategy_office_is_offered_no_starter_and_refused_with_one_reason(world, signed_in):
    client = signed_in(world.strat)
    assert b"Apply saas" not in client.get("/import/").content
    refused = client.post("/import/starters/saas/")
    problems = refused.context["report"].problems
    assert [problem.message for problem in problems] == [
        "Only an admin may apply a starter template: it adds a unit of its own."
    ]
    assert b"created" not in refused.content
    assert not Unit.objects.filter(name="Example SaaS Co").exists()
    assert b"Apply saas" in signed_in(world.admin).get("/import/").content


def test_a_refused_check_claims_nothing_created(world, signed_in):
    cycles = [["key", "name", "start", "end"], ["q1", "Q1 2027", "2027-01-01", "2027-03-31"]]
    response = upload(signed_in(world.lead), workbook({**UNITS, "cycles": cycles}))
    assert b"Only an admin may change the organisation." in response.content
    assert b"created" not in response.content


def test_the_documented_columns_are_the_layouts():
    from pathlib import Path

    from lodestar.exchange.layout import docs_text

    docs = Path(__file__).resolve().parents[3] / "docs" / "import.md"
    assert docs.read_text().endswith(docs_text())


def kept(folder) -> list[str]:
    return sorted(path.name for path in folder.glob("*")) if folder.exists() else []


def test_unconfirmed_uploads_expire_and_each_person_keeps_only_a_few(
    world, signed_in, pending_uploads
):
    import os
    import time

    from django.core.management import call_command

    from lodestar.exchange.uploads import PENDING_LIFETIME, PENDING_PER_PERSON

    admin = signed_in(world.admin)
    tokens = [upload(admin, workbook(UNITS)).context["token"] for _ in range(5)]
    assert len(kept(pending_uploads)) == PENDING_PER_PERSON  # the oldest went
    expired = admin.post("/import/confirm/", {"token": tokens[0], "filename": "book.xlsx"})
    assert b"That upload has expired" in expired.content
    # An hour later the rest expire: at someone's next upload, and by the command.
    hour_ago = time.time() - PENDING_LIFETIME - 1
    for path in pending_uploads.glob("*"):
        os.utime(path, (hour_ago, hour_ago))
    late = admin.post("/import/confirm/", {"token": tokens[-1], "filename": "book.xlsx"})
    assert b"That upload has expired" in late.content
    assert not Unit.objects.filter(name="Web team").exists()
    upload(signed_in(world.lead), workbook({"units": [["key", "name"]]}))
    assert len(kept(pending_uploads)) == 1  # the lead's own, none of the admin's
    for path in pending_uploads.glob("*"):
        os.utime(path, (hour_ago, hour_ago))
    out = io.StringIO()
    call_command("import", "--clean-expired", stdout=out)
    assert kept(pending_uploads) == [] and "1 expired upload removed" in out.getvalue()


WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "SAVEPOINT")


def test_a_preview_of_thousands_of_check_ins_writes_nothing_so_holds_no_write_lock(
    world, signed_in
):
    """On SQLite a write takes the database's one write lock until its transaction ends:
    the preview issues no write at all (a member's check-in never waits for it); the
    confirmation writes everything, in one transaction."""
    from datetime import datetime, timedelta

    from django.db import connection
    from django.utils import timezone

    from lodestar.exchange.exporter import export_rows
    from lodestar.exchange.models import ImportKey
    from lodestar.okrs.models import CheckIn
    from lodestar.okrs.services import key_result_create, objective_create

    objective = objective_create(acting=None, cycle=world.cycle, title="Grow", unit=world.sales)
    kr = key_result_create(
        acting=None, objective=objective, title="Deals", owner=world.member, target=10_000
    )
    export_rows(acting=None)
    key = ImportKey.objects.get(model="okrs.keyresult", object_id=kr.pk).key
    start = datetime(2026, 10, 2, 9, tzinfo=timezone.get_current_timezone())
    rows = [[key, (start + timedelta(minutes=i)).isoformat(), i, 5] for i in range(2000)]
    book = workbook({"checkins": [["key_result", "at", "value", "confidence"], *rows]})
    client = signed_in(world.member)
    statements = []

    def record(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        preview = upload(client, book)
    assert b"checkins: 2000 created" in preview.content
    writes = [sql for sql in statements if sql.lstrip().upper().startswith(WRITES)]
    assert writes == [] and not CheckIn.objects.filter(key_result=kr).exists()
    token = preview.context["token"]
    client.post("/import/confirm/", {"token": token, "filename": "book.xlsx"})
    run_jobs("imports")
    assert CheckIn.objects.filter(key_result=kr).count() == 2000


def test_the_upload_limit_keeps_the_csrf_check(world):
    """The import page sets its upload limit before the body is read, so the CSRF check
    runs inside the view: a post without the token is still refused."""
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.admin)
    response = upload(client, workbook(UNITS))
    assert response.status_code == 403 and not Unit.objects.filter(name="Web team").exists()
