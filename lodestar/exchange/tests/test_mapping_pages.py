"""The mapping pages: upload, the columns with a proposed field each, the preview's dry
run, the confirmation into the import job, and named mappings saved, downloaded and
removed by whom the rule says."""

import json
import re

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from lodestar.exchange.models import ImportMapping
from lodestar.exchange.tests.test_mapping import FLAT
from lodestar.jobs.models import ImportJob
from lodestar.jobs.testing import run_jobs
from lodestar.okrs.models import KeyResult
from lodestar.org.models import Person


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel("2026-11-22 15:00Z", tick=False):
        yield


@pytest.fixture
def admin(world, signed_in):
    Person.objects.filter(pk=world.lead.pk).update(email="lead@example.com")
    return signed_in(world.admin)


def upload(client, text: str = FLAT, name: str = "okrs.csv", use: str = ""):
    return client.post(
        "/import/map/", {"file": SimpleUploadedFile(name, text.encode()), "use": use}
    )


def form_of(response) -> dict:
    """The mapping form's fields as the page fills them."""
    html = response.content.decode()
    form = html[html.index('action="/import/map/preview/"') :]
    form = form[: form.index("</form>")]
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form))
    for name, options in re.findall(
        r'<select id="[^"]*" name="([\w-]+)">(.*?)</select>', form, re.S
    ):
        chosen = re.search(r'<option(?: value="([^"]*)")? selected>([^<]*)', options)
        fields[name] = (chosen[1] if chosen[1] is not None else chosen[2]) if chosen else ""
    fields["key_prefix"] = re.search(r'name="key_prefix" value="([^"]*)"', form)[1]
    return fields


def test_upload_propose_preview_confirm_import(world, admin):
    read = upload(admin)
    assert read.status_code == 200
    body = read.content.decode()
    assert "okrs.csv: 3 rows, its columns and first rows" in body and "Reach 1M ARR" in body
    fields = form_of(read)
    assert fields["column-1"] == "title" and fields["column-0"] == "parent"
    assert fields["cycle"] == "Q4 2026" and fields["key_prefix"] == "okrs"
    preview = admin.post("/import/map/preview/", fields)
    assert preview.status_code == 200
    text = preview.content.decode()
    assert "objectives: 2 created" in text and "key_results: 3 created" in text
    assert "New people (1): new.hire@example.com." in text
    assert "2 objectives have no strategic objective: link them after import" in text
    assert 'href="/alignment/"' in text
    assert KeyResult.objects.count() == 0  # a preview writes nothing
    token = re.search(
        r'action="/import/confirm/">.*?name="token" value="([^"]+)"'
        r'.*?name="filename" value="([^"]+)"',
        text,
        re.S,
    )
    confirmed = admin.post("/import/confirm/", {"token": token[1], "filename": token[2]})
    job = ImportJob.objects.get()
    assert confirmed["Location"] == f"/import/jobs/{job.pk}/"
    [result] = run_jobs("imports")
    assert result.return_value == "imported"
    assert KeyResult.objects.count() == 3
    assert b"key_results: 3 created" in admin.get(confirmed["Location"]).content


def test_a_field_chosen_twice_and_bad_values_are_said_and_nothing_is_written(world, admin):
    fields = form_of(upload(admin))
    twice = {**fields, "column-7": "target"}
    answer = admin.post("/import/map/preview/", twice)
    assert answer.status_code == 400
    assert (
        "Target is chosen for two columns, Target Value and Current Value: keep one."
        in answer.content.decode()
    )
    bad = upload(admin, FLAT.replace('"1,000,000"', "lots"))
    answer = admin.post("/import/map/preview/", form_of(bad))
    assert answer.status_code == 200  # the dry run's answer, as the import page's
    assert "Confirm the import" not in answer.content.decode()
    assert "The value is not a number (&#x27;lots&#x27;)." in answer.content.decode()
    assert KeyResult.objects.count() == 0


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("", "okrs.csv is empty (0 bytes)."),
        ("1,2,3\n4,5,6\n", "The first row holds values"),
    ],
)
def test_unreadable_files_are_refused_on_the_page(world, admin, text, said):
    answer = upload(admin, text)
    assert answer.status_code == 400 and said in answer.content.decode()


def test_a_saved_mapping_is_reused_downloaded_and_removed_by_its_maker(world, admin, signed_in):
    fields = form_of(upload(admin))
    admin.post("/import/map/preview/", {**fields, "save_as": "Our sheet"})
    saved = ImportMapping.objects.get()
    assert saved.saved_by == world.admin and saved.spec["columns"]["title"] == "Key Result"
    reused = form_of(upload(admin, use=f"saved:{saved.pk}"))
    assert reused["column-1"] == "title"
    download = admin.get(f"/import/map/{saved.pk}.json")
    assert json.loads(download.content)["name"] == "Our sheet"
    member = signed_in(world.member)
    again = member.post("/import/map/preview/", {**form_of(upload(member)), "save_as": "our SHEET"})
    assert "The mapping &#x27;Our sheet&#x27; is someone else&#x27;s" in again.content.decode()
    assert member.post(f"/import/map/{saved.pk}/remove").status_code == 403
    assert admin.post(f"/import/map/{saved.pk}/remove").status_code == 302
    assert not ImportMapping.objects.exists()


def test_a_preset_reads_its_tools_columns(world, admin):
    text = (
        "Objective,Key Result,Owner Email,Department,Period,Start Value,Target Value,"
        "Current Value,Progress %,Weightage\n"
        "Grow,Reach 10,lead@example.com,Sales,Q4 2026,0,10,5,50%,2\n"
    )
    fields = form_of(upload(admin, text, "profit.csv"))  # all its columns: the preset
    assert fields["key_prefix"] == "profitco" and fields["column-9"] == "weight"
    assert admin.post("/import/map/preview/", fields).status_code == 200
