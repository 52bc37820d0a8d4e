"""The pages: upload a spreadsheet, see what it would create, change and refuse, confirm;
download the template workbook and exports; apply a starter template."""

import secrets
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from lodestar.exchange.exporter import csv_zip_bytes, export_rows, xlsx_bytes
from lodestar.exchange.importer import import_book
from lodestar.exchange.layout import SHEETS
from lodestar.exchange.reader import read, read_bytes
from lodestar.exchange.starters import STARTERS
from lodestar.exchange.template import starter_names, starter_path, template_workbook
from lodestar.org.permissions import Action, can
from lodestar.strategy.models import Scorecard

MAX_UPLOAD = 50 * 1024 * 1024
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PENDING = settings.VAR_DIR / "imports"


def download(data: bytes, filename: str) -> HttpResponse:
    kind = XLSX if filename.endswith(".xlsx") else "application/zip"
    response = HttpResponse(data, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def pending_path(token: str, name: str) -> Path:
    return PENDING / f"{token}{Path(name).suffix.lower()}"


def page(request: HttpRequest, **context) -> HttpResponse:
    starters = [{"name": name, "title": STARTERS[name]["title"]} for name in starter_names()]
    return render(
        request,
        "exchange/import.html",
        {"starters": starters, "sheets": [sheet.name for sheet in SHEETS], **context},
    )


@login_required
def import_page(request: HttpRequest) -> HttpResponse:
    """GET: the upload form. POST with a file: a dry run, and the preview."""
    if request.method != "POST":
        return page(request)
    upload = request.FILES.get("file")
    if upload is None:
        return page(request, error="Choose a file to import.")
    if upload.size > MAX_UPLOAD:
        return page(request, error=f"The file is larger than {MAX_UPLOAD // (1024 * 1024)} MB.")
    data = upload.read()
    report = import_book(read_bytes(data, upload.name), acting=request.user, dry_run=True)
    token = ""
    if report.ok:
        token = f"{request.user.pk}-{secrets.token_hex(16)}"
        PENDING.mkdir(parents=True, exist_ok=True)
        pending_path(token, upload.name).write_bytes(data)
    return page(request, report=report, token=token, filename=upload.name)


@login_required
@require_POST
def import_confirm(request: HttpRequest) -> HttpResponse:
    token, name = request.POST.get("token", ""), request.POST.get("filename", "")
    if not token.startswith(f"{request.user.pk}-") or not token.replace("-", "").isalnum():
        raise Http404
    path = pending_path(token, name)
    if not path.exists():
        return page(request, error="That upload has expired; upload the file again.")
    report = import_book(read(path, name=name), acting=request.user)
    path.unlink(missing_ok=True)
    if report.written:
        messages.success(request, "Imported: " + "; ".join(report.lines()))
        return redirect("exchange-import")
    return page(request, report=report, filename=name)


@login_required
@require_POST
def starter_apply(request: HttpRequest, name: str) -> HttpResponse:
    path = starter_path(name)
    if path is None:
        raise Http404
    report = import_book(read(path), acting=request.user)
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
    scorecard = get_object_or_404(Scorecard, pk=pk)
    if not can(request.user, Action.VIEW, scorecard):
        raise Http404
    rows = export_rows(acting=request.user, scorecard=scorecard)
    data = xlsx_bytes(rows) if kind == "xlsx" else csv_zip_bytes(rows)
    return download(data, f"scorecard-{scorecard.pk}.{kind}")
