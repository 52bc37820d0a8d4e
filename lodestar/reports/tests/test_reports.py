"""The quarterly integrated review and the person summary: a real PDF, read back, says
what the page says, and a private objective appears to nobody who may not see it."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from lodestar.okrs.services import (
    checkin_create,
    cycle_close,
    key_result_create,
    objective_create,
    objective_grade,
)
from lodestar.reports.models import ReviewComment


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


@pytest.fixture
def quarter(world):
    customer = world.perspective("Customer")
    from lodestar.strategy.services import strategic_objective_create

    strategic = strategic_objective_create(
        acting=None,
        scorecard=world.scorecard,
        perspective=customer,
        name="Win deals",
        code="C1",
    )
    public = objective_create(
        acting=None,
        cycle=world.cycle,
        title="Grow sales",
        unit=world.sales,
        owner=world.member,
        contributes_to=[strategic],
    )
    deals = key_result_create(
        acting=None, objective=public, title="Close deals", owner=world.member, target=10
    )
    checkin_create(acting=None, key_result=deals, value=7, confidence=6)
    secret = objective_create(
        acting=None,
        cycle=world.cycle,
        title="Secret reorganisation",
        owner=world.member,
        visibility="private",
    )
    key_result_create(acting=None, objective=secret, title="Hidden step", owner=world.member)
    cycle_close(acting=None, cycle=world.cycle)
    objective_grade(
        acting=None, objective=public, final_grade=0.7, retrospective="Strong last month."
    )
    return public, secret


def test_the_review_pdf_is_produced_and_says_what_the_page_says(world, quarter, signed_in):
    client = signed_in(world.admin)
    page = client.get(reverse("cycle-report", args=[world.cycle.pk])).content.decode()
    response = client.get(reverse("cycle-report-pdf", args=[world.cycle.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    for figure in (
        "Quarterly review: Q4 2026",
        "Grow sales",
        "0.70",
        "Strong last month.",
        "Customer",
    ):
        assert figure in page
        assert figure in text
    assert "Secret reorganisation" in text  # the admin sees private objectives


def test_the_review_colours_execution_by_the_okr_scale_and_names_both_scales(world, signed_in):
    # Customer's execution is its one OKR of the running cycle, 0.70: green on the OKR
    # scale (it would be a "warning" on the strategy scale); no measure: performance N/A.
    from lodestar.strategy.services import strategic_objective_create

    strategic = strategic_objective_create(
        acting=None, scorecard=world.scorecard, perspective=world.perspective("Customer"), name="W"
    )
    objective = objective_create(
        acting=None, cycle=world.cycle, title="Win", unit=world.sales, contributes_to=[strategic]
    )
    deals = key_result_create(
        acting=None, objective=objective, title="Deals", owner=world.member, target=10
    )
    checkin_create(acting=None, key_result=deals, value=7, confidence=6)
    client = signed_in(world.admin)
    pdf = pdf_text(client.get(reverse("cycle-report-pdf", args=[world.cycle.pk])).content)
    page = client.get(reverse("cycle-report", args=[world.cycle.pk])).content.decode()
    assert "Customer N/A 0.70 green" in pdf
    assert "Performance (strategy scale)" in pdf and "Execution (OKR scale)" in pdf
    assert "OKR scale (OKR scores and execution):" in pdf
    assert '<span class="badge status-green" title="OKR scale' in page


def test_a_private_objective_is_absent_from_another_persons_review(world, quarter, signed_in):
    page = signed_in(world.outsider).get(reverse("cycle-report", args=[world.cycle.pk]))
    assert "Secret reorganisation" not in page.content.decode()
    pdf = signed_in(world.outsider).get(reverse("cycle-report-pdf", args=[world.cycle.pk]))
    assert "Secret" not in pdf_text(pdf.content)
    assert "Grow sales" in pdf_text(pdf.content)


def test_the_private_objective_counts_in_no_shared_figure(world, quarter, signed_in):
    html = signed_in(world.admin).get(reverse("cycle-report", args=[world.cycle.pk])).content
    # Across quarters: one public objective, graded 0.70, whoever reads.
    assert "<td>Q4 2026</td><td>1</td>" in html.decode()


def test_the_command_writes_a_persons_summary_as_someone_and_leaves_out_what_they_may_not_see(
    world, quarter, tmp_path
):
    mine = tmp_path / "member.pdf"
    call_command("report", str(mine), person="member", stdout=io.StringIO())
    assert "Secret reorganisation" in pdf_text(mine.read_bytes())
    theirs = tmp_path / "as-outsider.pdf"
    call_command("report", str(theirs), person="member", viewer="outsider", stdout=io.StringIO())
    text = pdf_text(theirs.read_bytes())
    assert "Close deals" in text and "Customer" in text
    assert "Secret" not in text and "Hidden step" not in text


def test_the_command_finds_the_cycle_by_name_or_id(world, quarter, tmp_path):
    for name in ("Q4 2026", str(world.cycle.pk)):
        path = tmp_path / "review.pdf"
        call_command("report", name, str(path), stdout=io.StringIO())
        assert "Grow sales" in pdf_text(path.read_bytes())


def test_leaders_write_commentary_per_perspective_and_others_may_not(world, quarter, signed_in):
    customer = world.perspective("Customer")
    url = reverse("review-comment", args=[world.cycle.pk, customer.pk])
    assert signed_in(world.lead).post(url, {"text": "No."}).status_code == 403
    signed_in(world.strat).post(url, {"text": "Win rate held up."})
    assert ReviewComment.objects.get().text == "Win rate held up."
    html = signed_in(world.viewer).get(reverse("cycle-report", args=[world.cycle.pk]))
    assert "Win rate held up." in html.content.decode()
