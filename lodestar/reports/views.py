"""The quarterly integrated review and the person summary, as pages and as PDFs."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from lodestar.insights.kept import Scope, waited
from lodestar.okrs.models import Cycle
from lodestar.org.models import Person
from lodestar.org.permissions import Action
from lodestar.org.reader import Reader
from lodestar.reports.pdf import pdf_from_template
from lodestar.reports.review import integrated_review, person_report
from lodestar.reports.services import review_comment_write
from lodestar.strategy.models import Perspective

# A PDF is a document: it waits for figures being computed in the background rather than
# say so (a page says so and refreshes itself), but not past gunicorn's 30 s timeout.
PDF_WAIT_SECONDS = 20


def review_figure(viewer: Person, cycle_id: int, viewer_id: int):
    """Kept per viewer too (`viewer_id` in its key, `Reader.kept`): it lists the private
    objectives of closed cycles they see."""
    return integrated_review(viewer, Cycle.objects.get(pk=cycle_id))


def review_context(viewer: Person, cycle: Cycle) -> dict:
    """The review of a cycle the viewer's reader has loaded."""
    reader = Reader.for_person(viewer)
    return {
        "review": reader.kept(review_figure, cycle.pk, viewer.pk, scope=Scope(cycle=cycle.pk)),
        "title": f"Quarterly review {cycle}",
        "may_comment": reader.can(Action.REVIEW, cycle),
        "pdf_url": reverse("cycle-report-pdf", args=[cycle.pk]),
    }


def person_context(viewer: Person, person: Person) -> dict:
    """The summary of a person the viewer's reader has loaded."""
    return {
        "report": person_report(viewer, person),
        "title": f"Summary of {person}",
        "pdf_url": reverse("person-report-pdf", args=[person.pk]),
    }


def pdf_response(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
    return response


@login_required
def cycle_report(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = request.reader.load(Cycle, pk)
    return render(request, "reports/review.html", review_context(request.user, cycle))


@login_required
def cycle_report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = request.reader.load(Cycle, pk)
    context = waited(lambda: review_context(request.user, cycle), seconds=PDF_WAIT_SECONDS)
    content = pdf_from_template("reports/review_pdf.html", context)
    return pdf_response(content, f"review-{cycle.pk}")


@require_POST
@login_required
def review_comment(request: HttpRequest, pk: int, perspective: int) -> HttpResponse:
    cycle = request.reader.load(Cycle, pk, Action.REVIEW)
    try:
        review_comment_write(
            acting=request.user,
            cycle=cycle,
            perspective=request.reader.load(Perspective, perspective),
            text=request.POST.get("text", ""),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Saved the commentary.")
    return redirect("cycle-report", cycle.pk)


@login_required
def person_summary(request: HttpRequest, pk: int) -> HttpResponse:
    person = request.reader.load(Person, pk)
    return render(request, "reports/person.html", person_context(request.user, person))


@login_required
def person_summary_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    person = request.reader.load(Person, pk)
    content = pdf_from_template("reports/person_pdf.html", person_context(request.user, person))
    return pdf_response(content, f"summary-{person.username}")
