"""The alignment page: where OKRs and strategy meet or miss each other (gaps, the
strategy-execution gap over cycles, OKR quality, conflicts and load, cause-effect
evidence), company-wide or for one unit (`?unit=`). The rules live in
`lodestar.insights`; this view only picks the scope."""

from dataclasses import replace

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from lodestar.insights import kept
from lodestar.insights.alignment import AlignmentReport, alignment_report
from lodestar.insights.evidence import LAGS
from lodestar.insights.kept import Scope
from lodestar.org.models import Person, Unit
from lodestar.org.reader import Reader
from lodestar.validation import parse_id
from lodestar.web.loading import load

ALERTS_PER_PAGE = 50
SECTION_ROWS = 100  # the first rows of each long list; the API gives them all


def alerts_page(alerts: list, page: int) -> dict:
    start = (page - 1) * ALERTS_PER_PAGE
    rows = alerts[start : start + ALERTS_PER_PAGE]
    return {
        "rows": rows,
        "first": start + 1,
        "last": start + len(rows),
        "previous": page - 1 if page > 1 else None,
        "next": page + 1 if start + ALERTS_PER_PAGE < len(alerts) else None,
    }


def shown_part(report: AlignmentReport) -> AlignmentReport:
    """The report as the page shows it: the long lists cut to their first SECTION_ROWS
    rows (the alerts stay whole, for their pages), so that what is kept and read back
    for every reader is what the page shows, not every objective of the company."""
    return replace(
        report,
        **{
            name: getattr(report, name)[:SECTION_ROWS]
            for name in (
                "orphans",
                "execution_gaps",
                "quality",
                "against_measure",
                "units_without_okrs",
                "outlook",
            )
        },
    )


def alignment_figure(person: Person, unit_id: int) -> AlignmentReport:
    """Kept (`Reader.kept`) for the unit's subtree (0: the company)."""
    unit = Unit.objects.get(pk=unit_id) if unit_id else None
    return shown_part(alignment_report(person, unit=unit))


@kept.first_read
def company_alignment(person: Person) -> AlignmentReport:
    """The company's alignment report as the person reads it: warmed after a run that
    changed everything."""
    return Reader.for_person(person).kept(alignment_figure, 0, scope=Scope())


@login_required
def alignment(request: HttpRequest) -> HttpResponse:
    unit = None
    if parse_id(request.GET.get("unit")) is not None:
        unit = load(request, Unit, parse_id(request.GET["unit"]))
    unit_id = unit.pk if unit else 0
    report = request.reader.kept(alignment_figure, unit_id, scope=Scope(unit=unit_id or None))
    page = int(request.GET["page"]) if request.GET.get("page", "").isdigit() else 1
    context = {
        "report": report,
        "alerts": alerts_page(report.alerts, max(page, 1)),
        "section_rows": f":{SECTION_ROWS}",
        "cycle": report.cycle,
        "units": Unit.objects.order_by("name"),
        "lags": list(LAGS),
        "limit": settings.KEY_RESULTS_PER_OWNER_LIMIT,
    }
    return render(request, "web/alignment.html", context)
