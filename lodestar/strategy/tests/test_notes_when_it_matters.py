"""A note when it matters: on a scorecard that asks, a value turning a measure red and a
check-in dropping a key result to at risk carry a note, on every surface (pages, API,
import, data source syncs that owe it); off, nothing changes; the review shows the notes
beside the figures, and a closed quarter's review keeps them."""

import io
from datetime import UTC, date, datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader

from lodestar.conftest import token_client
from lodestar.exchange.importer import import_book
from lodestar.exchange.models import ImportKey
from lodestar.exchange.reader import read_bytes
from lodestar.exchange.tests.conftest import workbook
from lodestar.okrs.models import CheckIn
from lodestar.okrs.services import checkin_create, cycle_close, key_result_create, objective_create
from lodestar.sources.sync import sync
from lodestar.sources.tests.conftest import warehouse  # noqa: F401 (the source's file)
from lodestar.sources.tests.test_sync import sql_source
from lodestar.strategy.models import MeasureValue, NoteAsked
from lodestar.strategy.services import (
    measure_create,
    measure_value_record,
    strategic_objective_create,
)

NOW = datetime(2026, 11, 16, 12, 0, tzinfo=UTC)
JAN, FEB, MAR = date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)
WHY = "Two renewals slipped into March"


@pytest.fixture
def goal(world):
    return strategic_objective_create(
        acting=None,
        scorecard=world.scorecard,
        perspective=world.perspective("Financial"),
        name="Grow revenue",
        owner=world.lead,
    )


@pytest.fixture
def deals(goal):
    """Signed deals, 0 → 100: 80 is a warning (yellow), 50 is off target (red)."""
    measure = measure_create(
        acting=None, objective=goal, name="Signed deals", baseline=0, target=100
    )
    measure_value_record(acting=None, measure=measure, period=JAN, actual=80)
    return measure


@pytest.fixture
def asking(world):
    world.scorecard.notes_when_it_matters = True
    world.scorecard.save(update_fields=["notes_when_it_matters"])
    return world.scorecard


def stored(measure, period=FEB) -> MeasureValue | None:
    return MeasureValue.objects.filter(measure=measure, period=period).first()


# Measure values --------------------------------------------------------------------------
def test_off_by_default_a_value_turning_red_asks_nothing(world, deals):
    assert not world.scorecard.notes_when_it_matters
    measure_value_record(acting=world.strat, measure=deals, period=FEB, actual=50)
    assert stored(deals).note_asked == NoteAsked.NOT_ASKED


def test_a_value_turning_a_measure_red_without_a_note_is_refused(world, deals, asking):
    with pytest.raises(ValidationError) as error:
        measure_value_record(acting=world.strat, measure=deals, period=FEB, actual=50)
    assert error.value.message_dict == {
        "comment": [
            "50 for Feb 2026 turns “Signed deals” red, and its scorecard asks for a note when "
            "that happens: say in a sentence why (the comment)."
        ]
    }
    assert stored(deals) is None  # nothing half-written
    measure_value_record(acting=world.strat, measure=deals, period=FEB, actual=50, comment=WHY)
    assert (stored(deals).comment, stored(deals).note_asked) == (WHY, NoteAsked.GIVEN)


def test_only_the_move_into_red_asks(world, deals, asking):
    measure_value_record(acting=world.strat, measure=deals, period=FEB, actual=50, comment=WHY)
    measure_value_record(acting=world.strat, measure=deals, period=MAR, actual=40)  # still red
    measure_value_record(acting=world.strat, measure=deals, period=JAN, actual=30)  # not latest
    measure_value_record(acting=world.strat, measure=deals, period=MAR, actual=90)  # green again
    assert stored(deals, MAR).note_asked == NoteAsked.NOT_ASKED


def test_a_correction_of_the_value_that_turned_it_red_keeps_the_note_asked(world, deals, asking):
    measure_value_record(acting=world.strat, measure=deals, period=FEB, actual=50, comment=WHY)
    with pytest.raises(ValidationError):  # blanking the note of the move is refused
        measure_value_record(acting=world.strat, measure=deals, period=FEB, actual=45)
    measure_value_record(
        acting=world.strat, measure=deals, period=FEB, actual=45, comment="Three slipped"
    )
    assert (stored(deals).comment, stored(deals).note_asked) == ("Three slipped", "given")
    measure_value_record(acting=world.strat, measure=deals, period=FEB, actual=90)
    assert stored(deals).note_asked == NoteAsked.NOT_ASKED  # no longer red: nothing to say


def test_the_value_page_refuses_beside_the_comment_and_takes_a_note(
    world, deals, asking, signed_in
):
    client = signed_in(world.strat)
    page = reverse("measure-value-new", args=[deals.pk])
    body = {"period": "2026-02-01", "actual": "50", "target": "", "comment": ""}
    response = client.post(page, body)
    assert response.status_code != 302
    assert "turns “Signed deals” red" in response.content.decode()
    assert stored(deals) is None
    response = client.post(page, body | {"comment": WHY})
    assert response.status_code == 302
    assert stored(deals).note_asked == NoteAsked.GIVEN


def test_the_api_refuses_naming_the_comment_and_takes_a_note(world, deals, asking):
    client = token_client(world.strat)
    body = {"measure": deals.pk, "period": "2026-02-01", "actual": 50}
    response = client.post("/api/v1/measure-values/", body, content_type="application/json")
    assert response.status_code == 400
    assert "comment" in response.content.decode() and "turns" in response.content.decode()
    assert stored(deals) is None
    body["comment"] = WHY
    response = client.post("/api/v1/measure-values/", body, content_type="application/json")
    assert response.status_code == 201
    assert response.json()["note_asked"] == "given"
    assert stored(deals).note_asked == NoteAsked.GIVEN


def test_an_import_row_without_the_note_is_refused_by_its_row_and_column(world, deals, asking):
    ImportKey.objects.create(model="strategy.measure", key="deals", object_id=deals.pk)
    header = ["measure", "period", "actual", "comment"]
    rows = [header, ["deals", "2026-02-01", 50, None]]
    report = import_book(read_bytes(workbook({"measure_values": rows}), "book.xlsx"), acting=None)
    (problem,) = report.problems
    assert (problem.sheet, problem.row, problem.column) == ("measure_values", 2, "comment")
    assert "turns “Signed deals” red" in problem.message
    assert stored(deals) is None
    rows[1][3] = WHY
    report = import_book(read_bytes(workbook({"measure_values": rows}), "book.xlsx"), acting=None)
    assert not report.problems
    assert (stored(deals).comment, stored(deals).note_asked) == (WHY, NoteAsked.GIVEN)


@pytest.mark.usefixtures("warehouse")
def test_a_data_source_turning_a_measure_red_is_kept_and_owes_its_note(world, goal, asking):
    revenue = measure_create(acting=None, objective=goal, name="Revenue", baseline=0, target=100)
    sync(sql_source(revenue))  # 10, 12.5, 15: red from the first, which turned it red
    owed = dict(MeasureValue.objects.filter(measure=revenue).values_list("period", "note_asked"))
    assert owed == {JAN: NoteAsked.OWED, FEB: NoteAsked.NOT_ASKED, MAR: NoteAsked.NOT_ASKED}


# Check-ins ---------------------------------------------------------------------------------
@pytest.fixture
def pipeline(world, goal):
    objective = objective_create(
        acting=None,
        cycle=world.cycle,
        title="Fill the pipeline",
        unit=world.sales,
        owner=world.lead,
        contributes_to=[goal],
    )
    key_result = key_result_create(
        acting=None, objective=objective, title="Qualified leads", owner=world.member, target=100
    )
    with time_machine.travel(NOW, tick=False):
        checkin_create(acting=world.member, key_result=key_result, value=45, confidence=8)
    return key_result


@time_machine.travel(NOW, tick=False)
def test_off_by_default_a_check_in_dropping_to_at_risk_asks_nothing(world, pipeline):
    checkin = checkin_create(acting=world.member, key_result=pipeline, value=45, confidence=2)
    assert checkin.note_asked == NoteAsked.NOT_ASKED


@time_machine.travel(NOW, tick=False)
def test_a_check_in_dropping_to_at_risk_without_a_note_is_refused(world, pipeline, asking):
    with pytest.raises(ValidationError) as error:
        checkin_create(acting=world.member, key_result=pipeline, value=45, confidence=2)
    (message,) = error.value.message_dict["note"]
    assert message.startswith("This check-in drops “Qualified leads” to at risk")
    assert CheckIn.objects.filter(key_result=pipeline).count() == 1
    checkin = checkin_create(
        acting=world.member, key_result=pipeline, value=45, confidence=2, note=WHY
    )
    assert CheckIn.objects.get(pk=checkin.pk).note_asked == NoteAsked.GIVEN
    # Already at risk: the next asks nothing.
    checkin_create(acting=world.member, key_result=pipeline, value=46, confidence=2)


@time_machine.travel(NOW, tick=False)
def test_the_check_in_page_and_api_refuse_without_a_note(world, pipeline, asking, signed_in):
    page = reverse("checkin", args=[pipeline.pk])
    response = signed_in(world.member).post(page, {"value": "45", "confidence": "2", "note": ""})
    assert response.status_code == 400
    assert "drops “Qualified leads” to at risk" in response.content.decode()
    body = {"key_result": pipeline.pk, "value": 45, "confidence": 2}
    client = token_client(world.member)
    response = client.post("/api/v1/checkins/", body, content_type="application/json")
    assert response.status_code == 400
    assert "note" in response.content.decode()
    assert CheckIn.objects.filter(key_result=pipeline).count() == 1
    body["note"] = WHY
    response = client.post("/api/v1/checkins/", body, content_type="application/json")
    assert response.status_code == 201
    assert response.json()["note_asked"] == "given"


# The setting -------------------------------------------------------------------------------
def test_the_setting_through_the_edit_page_and_the_api(world, signed_in):
    response = signed_in(world.strat).post(
        reverse("scorecard-edit", args=[world.scorecard.pk]),
        {
            "name": "FY2026",
            "period_start": "2026-01-01",
            "period_end": "2026-12-31",
            "notes_when_it_matters": "on",
        },
    )
    assert response.status_code == 302
    world.scorecard.refresh_from_db()
    assert world.scorecard.notes_when_it_matters
    path = f"/api/v1/scorecards/{world.scorecard.pk}"
    off = {"notes_when_it_matters": False}
    response = token_client(world.member).patch(path, off, content_type="application/json")
    assert response.status_code == 403  # the matrix's verdict for anyone else's edit
    response = token_client(world.strat).patch(path, off, content_type="application/json")
    assert response.status_code == 200
    assert response.json()["notes_when_it_matters"] is False


# The review --------------------------------------------------------------------------------
def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def review(client, cycle) -> tuple[str, str]:
    page = client.get(reverse("cycle-report", args=[cycle.pk])).content.decode()
    pdf = client.get(reverse("cycle-report-pdf", args=[cycle.pk]))
    assert pdf.status_code == 200, pdf.content[:500]
    pdf = pdf.content
    return " ".join(page.split()), pdf_text(pdf)


def test_the_review_shows_the_notes_beside_the_figures_and_keeps_them_closed(
    world, deals, pipeline, asking, signed_in
):
    measure_value_record(acting=world.strat, measure=deals, period=FEB, actual=50, comment=WHY)
    with time_machine.travel(NOW, tick=False):
        checkin_create(
            acting=world.member,
            key_result=pipeline,
            value=45,
            confidence=2,
            note="The partner event was cancelled",
        )
    client = signed_in(world.lead)
    with time_machine.travel(NOW, tick=False):
        page, pdf = review(client, world.cycle)
    for text in (page, pdf):
        assert f"50 (Feb 2026) Why it turned red: {WHY}" in text.replace("<br>", " ").replace(
            '<small class="note-when-red">', ""
        )
        assert "The partner event was cancelled" in text
    with time_machine.travel(datetime(2027, 1, 2, 12, tzinfo=UTC), tick=False):
        cycle_close(acting=None, cycle=world.cycle)
        measure_value_record(
            acting=world.strat, measure=deals, period=FEB, actual=50, comment="Rewritten later"
        )
        page, pdf = review(signed_in(world.lead), world.cycle)  # a new day's session
    for text in (page, pdf):
        assert WHY in text and "Rewritten later" not in text
        assert "The partner event was cancelled" in text


@time_machine.travel(NOW, tick=False)
def test_a_private_key_results_note_stays_with_those_who_may_see_it(world, goal, asking, signed_in):
    objective = objective_create(
        acting=world.member,
        cycle=world.cycle,
        title="Mine alone",
        owner=world.member,
        visibility="private",
        contributes_to=[goal],
    )
    key_result = key_result_create(
        acting=world.member,
        objective=objective,
        title="Secret leads",
        owner=world.member,
        target=100,
    )
    checkin_create(acting=world.member, key_result=key_result, value=45, confidence=8)
    checkin_create(
        acting=world.member, key_result=key_result, value=45, confidence=2, note="Hush: a rival"
    )
    assert "Hush: a rival" in review(signed_in(world.member), world.cycle)[0]
    page, pdf = review(signed_in(world.outsider), world.cycle)
    assert "Hush" not in page and "Secret leads" not in page and "Hush" not in pdf
