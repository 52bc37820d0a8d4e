"""The pages: upload a spreadsheet, see what it would create, change and refuse, confirm
(a worker imports it; its status page follows the job); download the template workbook and
exports; apply a starter template."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from lodestar.exchange.exporter import csv_zip_bytes, export_rows, xlsx_bytes
from lodestar.exchange.importer import Report
from lodestar.exchange.incoming import preview_incoming, read_incoming
from lodestar.exchange.layout import SHEETS
from lodestar.exchange.reader import Book, Problem, too_large
from lodestar.exchange.starters import STARTERS
from lodestar.exchange.tasks import import_job_start, import_job_state
from lodestar.exchange.template import (
    may_apply_starters,
    starter_import,
    starter_names,
    starter_path,
    template_workbook,
)
from lodestar.exchange.uploads import UploadLimit, pending_found, pending_keep
from lodestar.jobs.models import ImportJob
from lodestar.strategy.models import Scorecard

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def download(data: bytes, filename: str) -> HttpResponse:
    kind = XLSX if filename.endswith(".xlsx") else "application/zip"
    response = HttpResponse(data, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def page(request: HttpRequest, status: int = 200, **context) -> HttpResponse:
    starters = [{"name": name, "title": STARTERS[name]["title"]} for name in starter_names()]
    return render(
        request,
        "exchange/import.html",
        {
            "starters": starters,
            "may_apply_starters": may_apply_starters(request.user),
            "sheets": [sheet.name for sheet in SHEETS],
            **context,
        },
        status=status,
    )


def unreadable(request: HttpRequest, book: Book, filename: str) -> HttpResponse:
    """A file the reader refused: 400, its first problem said at the top, all listed."""
    more = len(book.problems) - 1
    error = str(book.problems[0]) + (f" (and {more} more, listed below)" if more else "")
    report = Report(dry_run=True, problems=book.problems)
    return page(request, status=400, error=error, report=report, filename=filename)


@csrf_exempt  # checked by import_preview, once the upload limit is in place
@login_required
def import_page(request: HttpRequest) -> HttpResponse:
    """GET: the upload form. POST with a file: a dry run, and the preview."""
    # Before anything reads the request body: an upload stops being kept at the limit.
    request.upload_handlers.insert(0, UploadLimit(request))
    return import_preview(request)


@csrf_protect
def import_preview(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return page(request)
    upload, limit = request.FILES.get("file"), request.upload_handlers[0]
    if limit.refused:
        return page(request, status=400, error=too_large(limit.refused))
    if upload is None:
        return page(request, status=400, error="Choose a file to import.")
    # Lodestar's layout, or a shape it reads (a Viva Goals export)
    incoming = read_incoming(upload, upload.name, acting=request.user)
    if incoming.book.problems:
        return unreadable(request, incoming.book, upload.name)
    report = preview_incoming(incoming, acting=request.user)  # reads only: no write lock held
    token = pending_keep(upload, upload.name, request.user.pk) if report.ok else ""
    return page(request, report=report, token=token, filename=upload.name)


@login_required
@require_POST
def import_confirm(request: HttpRequest) -> HttpResponse:
    token, name = request.POST.get("token", ""), request.POST.get("filename", "")
    path = pending_found(token, name, request.user.pk)
    if path is None:
        raise Http404
    if not path.exists():
        return page(request, error="That upload has expired; upload the file again.")
    job = import_job_start(acting=request.user, path=path, name=name)
    return redirect("exchange-import-job", pk=job.pk)


@login_required
def import_job(request: HttpRequest, pk: int) -> HttpResponse:
    """A confirmed import's progress and outcome: its person's and the admins' only."""
    job = request.reader.load(ImportJob.objects.defer("data"), pk)
    state = import_job_state(job)
    report = Report(dry_run=False, problems=[Problem(**problem) for problem in job.problems])
    return render(
        request, "exchange/import_job.html", {"state": state, "job": job, "report": report}
    )


@login_required
@require_POST
def starter_apply(request: HttpRequest, name: str) -> HttpResponse:
    if starter_path(name) is None:
        raise Http404
    report = starter_import(name, acting=request.user)
    if report.written:
        messages.success(request, f"Applied the {name} template: " + "; ".join(report.lines()))
        return redirect("exchange-import")
    return page(request, report=report, filename=f"{name}.xlsx")


@login_required
def template_download(request: HttpRequest) -> HttpResponse:
    return download(template_workbook(), "lodestar-template.xlsx")


@login_required
def export_download(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in ("xlsx", "zip"):
        raise Http404
    rows = export_rows(acting=request.user)
    data = xlsx_bytes(rows) if kind == "xlsx" else csv_zip_bytes(rows)
    return download(data, f"lodestar-export.{kind}")


@login_required
def scorecard_download(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    if kind not in ("xlsx", "zip"):
        raise Http404
    scorecard = request.reader.load(Scorecard, pk)
    rows = export_rows(acting=request.user, scorecard=scorecard)
    data = xlsx_bytes(rows) if kind == "xlsx" else csv_zip_bytes(rows)
    return download(data, f"scorecard-{scorecard.pk}.{kind}")
