"""The page's import as a job (queue "imports"): the confirmation keeps the file in an
`ImportJob` row and enqueues `import_job_run`; a worker runs the same importer as the same
person (`import_book(acting=…)`: the same permission verdicts), and the person's status
page follows it: queued, running (rows done of total), done with the summary the page
used to show, refused with every problem, or failed. No web request waits for an import
(gunicorn stops a request after 30 s)."""

import io
import logging
import re
from dataclasses import dataclass
from pathlib import Path

from django.db import connection
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from lodestar.exchange.importer import Report
from lodestar.exchange.incoming import import_incoming, read_incoming
from lodestar.jobs.models import ImportJob
from lodestar.org.acting import Actor, personal_service

log = logging.getLogger(__name__)
PROGRESS = re.compile(r"(\d+)/(\d+)")  # the importer says "1000/25000 rows"
STOPPED = "The import stopped before it ended; the operator's log has the details."


@personal_service  # a record of one person's request: the organisation's data is the job's
def import_job_start(*, acting: Actor, path: Path, name: str) -> ImportJob:
    """Keep the confirmed upload in a job and enqueue it; the upload's file goes."""
    job = ImportJob.objects.create(person=acting, filename=name, data=path.read_bytes())
    job.task_id = str(import_job_run.enqueue(job.pk).id)
    job.save(update_fields=["task_id"])
    path.unlink(missing_ok=True)
    return job


@task(queue_name="imports")
def import_job_run(job_id: int) -> str:
    job = ImportJob.objects.select_related("person").get(pk=job_id)
    ImportJob.objects.filter(pk=job.pk).update(started_at=timezone.now())
    try:
        # Its shape is found again from its headers or zip entries, as the preview found it.
        incoming = read_incoming(io.BytesIO(bytes(job.data)), job.filename, acting=job.person)
        report = import_incoming(
            incoming, acting=job.person, say=lambda line: progress(job.pk, line)
        )
    except Exception:
        log.exception("import job %s failed", job.pk)
        finished(job, ImportJob.Outcome.FAILED, error=STOPPED)
        raise  # the job's own row keeps the traceback for the operator
    outcome = ImportJob.Outcome.IMPORTED if report.written else ImportJob.Outcome.REFUSED
    finished(job, outcome, report=report)
    return outcome


def finished(job: ImportJob, outcome: str, report: Report | None = None, error: str = "") -> None:
    job.outcome, job.error, job.data, job.finished_at = outcome, error, b"", timezone.now()
    fields = ["outcome", "error", "data", "finished_at"]
    if report is not None:
        job.lines = report.lines()
        job.problems = [
            {"sheet": p.sheet, "row": p.row, "column": p.column, "message": p.message}
            for p in report.problems
        ]
        fields += ["lines", "problems"]
    job.save(update_fields=fields)


def progress(job_id: int, line: str) -> None:
    """Rows done of total, written where the status page can read them while the import
    still holds its transaction: beside it on PostgreSQL (a second connection); SQLite's
    one writer allows it only between the import's transactions."""
    found = PROGRESS.search(line)
    if found is None:
        return
    done, total = int(found[1]), int(found[2])
    if not connection.in_atomic_block:
        ImportJob.objects.filter(pk=job_id).update(rows_done=done, rows_total=total)
    elif connection.vendor == "postgresql":
        aside = connection.copy()
        try:
            with aside.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {ImportJob._meta.db_table} SET rows_done = %s, rows_total = %s "
                    "WHERE id = %s",
                    [done, total, job_id],
                )
        finally:
            aside.close()


@dataclass
class ImportState:
    state: str  # queued, running, imported, refused, failed
    job: ImportJob
    error: str = ""


def import_job_state(job: ImportJob) -> ImportState:
    if job.outcome:
        return ImportState(job.outcome, job, job.error)
    results = (
        DBTaskResult.objects.filter(pk=job.task_id) if job.task_id else DBTaskResult.objects.none()
    )
    result = results.values_list("status", flat=True).first()
    if result == "READY":
        return ImportState("queued", job)
    if result == "RUNNING":
        return ImportState("running", job)
    return ImportState("failed", job, STOPPED)  # its worker stopped, or the row is gone
