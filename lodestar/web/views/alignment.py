"""The alignment page: where OKRs and strategy meet or miss each other (gaps, the
strategy-execution gap over cycles, OKR quality, conflicts and load, cause-effect
evidence), company-wide or for one unit (`?unit=`). The rules live in
`lodestar.insights`; this view only picks the scope."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from lodestar.insights.alignment import alignment_report
from lodestar.insights.evidence import LAGS
from lodestar.org.models import Unit
from lodestar.validation import parse_id
from lodestar.web.loading import load


@login_required
def alignment(request: HttpRequest) -> HttpResponse:
    unit = None
    if parse_id(request.GET.get("unit")) is not None:
        unit = load(request, Unit, parse_id(request.GET["unit"]))
    report = alignment_report(request.user, unit=unit)
    context = {
        "report": report,
        "cycle": report.cycle,
        "units": Unit.objects.order_by("name"),
        "lags": list(LAGS),
        "limit": settings.KEY_RESULTS_PER_OWNER_LIMIT,
    }
    return render(request, "web/alignment.html", context)
