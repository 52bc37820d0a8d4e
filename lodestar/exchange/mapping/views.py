"""The mapping pages: upload a spreadsheet of any shape, see its columns and first rows
with a proposed field for each, change them, preview the import as the import page does,
and confirm it into the same import job. Who may do it is the import page's rule (every
person signed in; what they may not write is refused row by row), and the services
decide the rest. Mappings are saved by name, downloaded as JSON and removed here."""

import io
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from lodestar.exchange.incoming import preview_incoming
from lodestar.exchange.mapping.convert import convert
from lodestar.exchange.mapping.fields import FIELDS, KEY_RESULT, LEFT_OUT, OBJECTIVE
from lodestar.exchange.mapping.package import packed
from lodestar.exchange.mapping.presets import PRESETS, fitted, preset_for
from lodestar.exchange.mapping.propose import propose
from lodestar.exchange.mapping.services import mapping_delete, mapping_save
from lodestar.exchange.mapping.source import MAPPED_ROWS, Source, read_source
from lodestar.exchange.mapping.spec import PREFIX_LENGTH, BadMapping, Mapping, mapping_of
from lodestar.exchange.models import ImportMapping
from lodestar.exchange.reader import too_large
from lodestar.exchange.uploads import UploadLimit, pending_found, pending_keep
from lodestar.okrs.models import Cycle
from lodestar.okrs.selectors import active_cycle

FIRST_ROWS = 5
KINDS = (OBJECTIVE, KEY_RESULT, LEFT_OUT)


def page(request: HttpRequest, status: int = 200, **context) -> HttpResponse:
    return render(
        request,
        "exchange/mapping.html",
        {
            "saved": ImportMapping.objects.all(),
            "presets": sorted(PRESETS),
            "fields": FIELDS,
            "cycles": Cycle.objects.order_by("-start"),
            "mapped_rows": f"{MAPPED_ROWS:,}",
            **context,
        },
        status=status,
    )


@csrf_exempt  # checked by mapping_read, once the upload limit is in place
@login_required
def mapping_page(request: HttpRequest) -> HttpResponse:
    """GET: the upload form. POST with a file: its columns, a proposed mapping."""
    request.upload_handlers.insert(0, UploadLimit(request))
    return mapping_read(request)


@csrf_protect
def mapping_read(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return page(request)
    upload, limit = request.FILES.get("file"), request.upload_handlers[0]
    if limit.refused:
        return page(request, status=400, error=too_large(limit.refused))
    if upload is None:
        return page(request, status=400, error="Choose a file to read.")
    source = read_source(upload, upload.name)
    if source.problems:
        return page(request, status=400, error=str(source.problems[0]), filename=upload.name)
    try:
        mapping = chosen_mapping(request.POST.get("use", ""), source)
    except BadMapping as error:
        return page(request, status=400, error=str(error), filename=upload.name)
    token = pending_keep(upload, upload.name, request.user.pk)
    return mapping_form(request, source, mapping, token)


def chosen_mapping(use: str, source: Source) -> Mapping:
    """The mapping the person chose to start from: a saved one, a preset, else one
    proposed from the file (a preset when its columns are all there)."""
    kind, _, name = use.partition(":")
    if kind == "saved":
        saved = ImportMapping.objects.filter(pk=name).first() if name.isdigit() else None
        if saved is None:
            raise BadMapping("That saved mapping is gone: choose another.")
        return fitted(mapping_of(saved.spec), source.headers)
    preset = name if kind == "preset" else preset_for(source.headers)
    if preset in PRESETS:
        return fitted(PRESETS[preset], source.headers)
    stem = "".join(c if c.isalnum() else "-" for c in Path(source.name).stem.lower())
    active = active_cycle()
    return Mapping(
        columns=propose(source),
        key_prefix=stem.strip("-")[:PREFIX_LENGTH] or "sheet",
        cycle=active.name if active else "",
    )


def mapping_form(
    request: HttpRequest, source: Source, mapping: Mapping, token: str, status: int = 200, **more
) -> HttpResponse:
    """The columns with their fields chosen; the names the last preview could not match
    are listed to be named."""
    unmatched = more["result"].unmatched if "result" in more else {}
    named = {**mapping.people, **dict.fromkeys(set(unmatched) - set(mapping.people), "")}
    field_of = {header: name for name, header in mapping.columns.items()}
    columns = [
        {"index": i, "header": h, "field": field_of.get(h, "")}
        for i, h in enumerate(source.headers)
    ]
    return page(
        request,
        status=status,
        source=source,
        columns=columns,
        first_rows=[cells for _, cells in source.rows[:FIRST_ROWS]],
        mapping=mapping,
        terms="\n".join(f"{word} = {kind}" for word, kind in mapping.terms.items()),
        people="\n".join(f"{name} = {ref}".strip() for name, ref in named.items()),
        token=token,
        filename=source.name,
        **more,
    )


def mapping_posted(post, headers: list[str]) -> Mapping:
    """The mapping the form says; a field chosen for two columns is refused."""
    columns: dict[str, str] = {}
    known = {field.name for field in FIELDS}
    for index, header in enumerate(headers):
        name = post.get(f"column-{index}", "")
        if not name:
            continue
        if name not in known:
            raise BadMapping(f"Column {header}: choose one of Lodestar's fields.")
        if name in columns:
            raise BadMapping(
                f"{dict((f.name, f.label) for f in FIELDS)[name]} is chosen for two columns, "
                f"{columns[name]} and {header}: keep one."
            )
        columns[name] = header
    return Mapping(
        columns=columns,
        cycle=post.get("cycle", ""),
        key_prefix=post.get("key_prefix", "").strip()[:PREFIX_LENGTH] or "sheet",
        terms=pairs(post.get("terms", ""), "words", KINDS),
        people=pairs(post.get("people", ""), "people"),
    )


def pairs(text: str, what: str, allowed: tuple[str, ...] = ()) -> dict[str, str]:
    """'Left = right' lines; an empty right side is left out (a name still to map)."""
    found = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        left, sign, right = line.partition("=")
        left, right = left.strip(), right.strip().lower() if allowed else right.strip()
        if not sign or not left:
            raise BadMapping(f"The {what}, line {number}: write it as “name = …”.")
        if right and allowed and right not in allowed:
            raise BadMapping(
                f"The {what}, line {number}: {right!r} is not one of {', '.join(allowed)}."
            )
        if right:
            found[left] = right
    return found


@login_required
@require_POST
def mapping_preview(request: HttpRequest) -> HttpResponse:
    """The dry run of the file by the mapping posted, and what confirming would import."""
    token, name = request.POST.get("token", ""), request.POST.get("filename", "")
    path = pending_found(token, name, request.user.pk)
    if path is None:
        raise Http404
    if not path.exists():
        return page(request, status=400, error="That upload has expired; upload the file again.")
    data = path.read_bytes()
    source = read_source(io.BytesIO(data), name)
    if source.problems:  # it was read once: only a changed reader would come here
        return page(request, status=400, error=str(source.problems[0]))
    forget_previous(request)
    try:
        mapping = mapping_posted(request.POST, source.headers)
    except BadMapping as error:
        return mapping_form(request, source, Mapping(), token, status=400, error=str(error))
    refusal = saving_refused(request, mapping)
    if refusal:
        return mapping_form(request, source, mapping, token, status=400, error=refusal)
    result = convert(source, mapping, acting=request.user)
    report = preview_incoming(result.incoming, acting=request.user)  # reads only
    confirm = ""
    if report.ok:
        package = io.BytesIO(packed(data, name, mapping))
        confirm = pending_keep(package, f"{Path(name).stem}.mapping.zip", request.user.pk)
    return mapping_form(
        request,
        source,
        mapping,
        token,
        report=report,
        result=result,
        confirm=confirm,
        confirm_name=f"{Path(name).stem}.mapping.zip",
        alignment=reverse("alignment"),
    )


def forget_previous(request: HttpRequest) -> None:
    """The package kept by the previous preview of this page goes: a person keeps few
    uploads, and the file itself must stay."""
    previous = pending_found(request.POST.get("previous", ""), "x.zip", request.user.pk)
    if previous is not None:
        previous.unlink(missing_ok=True)


def saving_refused(request: HttpRequest, mapping: Mapping) -> str:
    """Save the mapping when a name is given; why it was not saved, or ""."""
    name = request.POST.get("save_as", "").strip()
    if not name:
        return ""
    try:
        saved = mapping_save(acting=request.user, name=name, mapping=mapping)
    except ValidationError as error:
        return " ".join(error.messages)
    except PermissionDenied as error:
        return str(error)
    messages.success(request, f"Saved the mapping {saved.name}.")
    return ""


@login_required
def mapping_download(request: HttpRequest, pk: int) -> HttpResponse:
    saved = request.reader.load(ImportMapping, pk)
    text = mapping_of(saved.spec).as_json(saved.name)
    response = HttpResponse(text, content_type="application/json")
    filename = "".join(c if c.isalnum() else "-" for c in saved.name.lower())
    response["Content-Disposition"] = f'attachment; filename="{filename}.json"'
    return response


@login_required
@require_POST
def mapping_remove(request: HttpRequest, pk: int) -> HttpResponse:
    saved = request.reader.load(ImportMapping, pk)
    mapping_delete(acting=request.user, saved=saved)  # PermissionDenied: 403
    messages.success(request, f"Removed the mapping {saved.name}.")
    return redirect("exchange-mapping")
