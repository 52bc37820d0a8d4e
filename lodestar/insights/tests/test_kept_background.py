"""Kept figures computed in the background (INSIGHTS_REFRESH = "background", PostgreSQL's
default): a request never computes one. With nothing to serve, the page answers 202 at once
with a page that refreshes itself, the API 202 with its detail, and the one computation of
each figure is queued (once, however many ask); a PDF waits for it. Inline (SQLite's
default) the first reader still computes. A run that changed everything (a recompute, an
import) queues the figures readers were reading, and the first pages'."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from lodestar.computed import HEADER, QUEUED_HEADER
from lodestar.exchange.importer import import_book
from lodestar.exchange.reader import read_bytes
from lodestar.insights import kept
from lodestar.insights.models import InsightCache
from lodestar.insights.tests.helpers import okr
from lodestar.jobs.testing import run_jobs
from lodestar.org.changes import changed_everything
from lodestar.org.reader import Reader
from lodestar.reports import views as report_views
from lodestar.scores.rollup import recompute_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def background(settings):
    settings.INSIGHTS_REFRESH = "background"


def queued() -> int:
    return DBTaskResult.objects.filter(queue_name="insights", status="READY").count()


def test_a_first_visit_is_answered_at_once_and_queues_each_figure_once(
    world, signed_in, background
):
    okr(world, "Win the north", unit=world.sales)
    client = signed_in(world.admin)
    first = client.get("/")
    assert first.status_code == 202
    assert first[QUEUED_HEADER] == "1" and HEADER not in first  # nothing computed in it
    page = first.content.decode()
    assert "Figures are being computed" in page and "refreshes itself" in page
    assert '<meta http-equiv="refresh" content="5">' in page  # no script: CSP-clean
    assert "script-src 'self'" in first["Content-Security-Policy"]
    figures = queued()
    assert figures == 3  # the score history, the OKR health and the alerts, in one visit
    assert client.get("/").status_code == 202
    assert signed_in(world.admin).get("/").status_code == 202
    assert queued() == figures  # one computation per figure, however many ask
    run_jobs("insights")
    ready = client.get("/")
    assert ready.status_code == 200 and HEADER not in ready  # read, not computed
    assert "Figures as of" in ready.content.decode()


def test_the_alignment_and_unit_pages_wait_for_their_figures_too(world, signed_in, background):
    client = signed_in(world.lead)
    for path in ("/alignment/", f"/units/{world.sales.pk}/"):
        assert client.get(path).status_code == 202
    run_jobs("insights")
    for path in ("/alignment/", f"/units/{world.sales.pk}/"):
        answer = client.get(path)
        assert answer.status_code == 200 and HEADER not in answer


def test_the_api_answers_202_while_its_figures_are_computed(world, as_, background):
    answer = as_("admin").get("/api/v1/insights/alerts")
    assert answer.status_code == 202
    assert answer.json() == {"detail": kept_words(), "errors": {}}
    assert answer["Retry-After"] == "5" and answer[QUEUED_HEADER] == "1"
    assert as_("admin").get("/api/v1/insights/alert-groups").status_code == 202
    assert queued() == 1  # both read the company's alerts
    run_jobs("insights")
    assert as_("admin").get("/api/v1/insights/alerts").status_code == 200


def kept_words() -> str:
    from lodestar.api.errors import COMPUTING

    return COMPUTING


def test_a_pdf_waits_for_its_figures_then_says_they_are_computed(
    world, signed_in, background, monkeypatch
):
    monkeypatch.setattr(report_views, "PDF_WAIT_SECONDS", 0)  # no worker runs meanwhile
    client = signed_in(world.admin)
    url = reverse("cycle-report-pdf", args=[world.cycle.pk])
    waiting = client.get(url)
    assert waiting.status_code == 202  # the page that refreshes itself: it asks again
    run_jobs("insights")
    pdf = client.get(url)
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"


def test_waiting_asks_again_until_the_figures_come(monkeypatch):
    monkeypatch.setattr(kept, "POLL_SECONDS", 0.01)
    asked = []

    def read():
        asked.append(1)
        if len(asked) < 3:
            raise kept.FiguresComputing("figure")
        return "ready"

    assert kept.waited(read, seconds=5) == "ready"
    assert len(asked) == 3


def test_inline_the_first_visit_computes_in_the_request(world, signed_in):
    answer = signed_in(world.admin).get("/")
    assert answer.status_code == 200 and answer[HEADER] == "3"
    assert not DBTaskResult.objects.exists()


def figure(person, label: str):
    return label


def test_a_stale_figure_is_served_within_the_bound_from_the_change_it_missed(background):
    """Its age is counted from the first change it missed, not from its computation: a
    figure computed an hour ago and right until a write a second ago is still served."""
    # At noon, so that an hour ago is still today (kept figures are kept by the day).
    with time_machine.travel(timezone.localtime().replace(hour=12), tick=True):
        an_hour_ago = timezone.now() - timedelta(hours=1)
        Reader(None).kept(figure, "hourly")  # outside a request: computed here
        InsightCache.objects.update(computed_at=an_hour_ago)
        changed_everything()
        reader = Reader(None)
        assert reader.kept(figure, "hourly") == "hourly"
        assert reader.kept_as_of == an_hour_ago
        assert queued() == 1


def test_a_recompute_queues_the_figures_kept_and_the_first_pages(
    world, signed_in, background, django_capture_on_commit_callbacks
):
    client = signed_in(world.admin)
    client.get("/alignment/")
    run_jobs("insights")
    assert client.get("/alignment/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        recompute_all()  # everything is stale now
    # The alignment report read today, and the first pages of the company's first readers.
    assert queued() == 2
    run_jobs("insights")
    for path in ("/", "/alignment/"):
        answer = client.get(path)
        assert answer.status_code == 200 and HEADER not in answer, path


def test_an_import_queues_the_figures_kept(
    world, signed_in, background, django_capture_on_commit_callbacks
):
    signed_in(world.admin).get("/alignment/")
    run_jobs("insights")
    book = read_bytes(b"key,name,kind\nfield,Field Sales,team\n", "units.csv")
    with django_capture_on_commit_callbacks(execute=True):
        report = import_book(book, acting=world.admin)
    assert report.ok, report.problems
    assert queued() == 2


def test_inline_a_recompute_queues_nothing(world, signed_in, django_capture_on_commit_callbacks):
    signed_in(world.admin).get("/alignment/")
    with django_capture_on_commit_callbacks(execute=True):
        recompute_all()
    assert not DBTaskResult.objects.exists()
