"""The page's import runs as a job: as the person who confirmed it (the same permission
verdicts), followed on a status page that only they and the admins may read."""

from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from lodestar.exchange.tasks import import_job_run, import_job_start, progress
from lodestar.exchange.tests.conftest import workbook
from lodestar.jobs.models import ImportJob
from lodestar.jobs.testing import run_jobs
from lodestar.jobs.worker import reap
from lodestar.org.models import Unit

UNITS = {"units": [["key", "name", "kind", "parent"], ["web", "Web team", "team", None]]}


def started(person, tmp_path, sheets=UNITS) -> ImportJob:
    path = tmp_path / "book.xlsx"
    path.write_bytes(workbook(sheets))
    job = import_job_start(acting=person, path=path, name="book.xlsx")
    assert not path.exists()  # the file travels in the job's row
    return job


def status(client, job: ImportJob):
    return client.get(f"/import/jobs/{job.pk}/")


def test_the_job_imports_with_the_rights_of_who_confirmed_it(world, signed_in, tmp_path):
    job = started(world.lead, tmp_path)  # a lead may not change the organisation
    [result] = run_jobs("imports")
    assert result.status == "SUCCESSFUL" and result.return_value == "refused"
    assert not Unit.objects.filter(name="Web team").exists()
    page = status(signed_in(world.lead), job)
    assert b"Nothing was imported: 1 problem" in page.content
    assert b"Only an admin may change the organisation." in page.content
    job.refresh_from_db()
    assert job.data == b"" and job.finished_at is not None  # the file is not kept


def test_only_its_person_and_the_admins_see_an_import(world, signed_in, tmp_path, client):
    job = started(world.admin, tmp_path)
    run_jobs("imports")
    assert Unit.objects.filter(name="Web team").exists()
    for person in (world.admin, world.member):
        ImportJob.objects.filter(pk=job.pk).update(person=person)
        assert b"units: 1 created" in status(signed_in(person), job).content
        assert b"units: 1 created" in status(signed_in(world.admin), job).content
    for person in (world.lead, world.strat, world.viewer, world.outsider):
        assert status(signed_in(person), job).status_code == 404
    assert status(client, job)["Location"].startswith("/login/")


def enqueued(job: ImportJob) -> str:
    job.task_id = str(import_job_run.enqueue(job.pk).id)
    job.save(update_fields=["task_id"])
    return job.task_id


def test_a_running_import_shows_its_rows_and_a_lost_one_says_it_stopped(world, signed_in):
    job = ImportJob.objects.create(person=world.member, filename="big.xlsx")
    result = DBTaskResult.objects.get(pk=enqueued(job))
    result.claim("a-worker")
    ImportJob.objects.filter(pk=job.pk).update(rows_done=1000, rows_total=2500)
    page = status(signed_in(world.member), job)
    assert b"Importing: 1000 of 2500 rows" in page.content
    assert b'http-equiv="refresh"' in page.content  # it follows itself
    DBTaskResult.objects.filter(pk=result.pk).update(
        started_at=timezone.now() - timedelta(minutes=5)
    )
    assert reap(timezone.now()) == 1  # its worker never beat: it stopped
    page = status(signed_in(world.member), job)
    assert b"The import stopped before it ended" in page.content
    assert b'http-equiv="refresh"' not in page.content


@pytest.mark.django_db(transaction=True)
def test_progress_is_written_between_the_imports_transactions(django_user_model):
    person = django_user_model.objects.create(username="importer")
    job = ImportJob.objects.create(person=person, filename="big.xlsx")
    progress(job.pk, "rolling up")  # no figures: nothing to write
    progress(job.pk, "5000/12000 check-ins and measure values written")
    job.refresh_from_db()
    assert (job.rows_done, job.rows_total) == (5000, 12000)
    with transaction.atomic():  # inside the import's transaction
        progress(job.pk, "6000/12000 rows")
        on_the_side = ImportJob.objects.get(pk=job.pk).rows_done
    # PostgreSQL: a second connection wrote it, seen by the status page at once (and by
    # this transaction, begun after it). SQLite's one writer is held by the import.
    expected = 6000 if connection.vendor == "postgresql" else 5000
    assert on_the_side == expected and ImportJob.objects.get(pk=job.pk).rows_done == expected
