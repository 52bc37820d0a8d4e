"""Any spreadsheet, by mapping (issue 24): the proposal from headers and from the values'
shapes, the conversion into Lodestar's layout through the one seam (`exchange.incoming`),
the dry run's words, a round trip through the export, and refusals that write nothing."""

import io
import json
from datetime import date

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError

from lodestar.exchange.exporter import export_rows, xlsx_bytes
from lodestar.exchange.importer import import_book
from lodestar.exchange.incoming import import_incoming, preview_incoming, read_incoming
from lodestar.exchange.mapping.convert import convert
from lodestar.exchange.mapping.cycle_names import dates_name, named_dates
from lodestar.exchange.mapping.package import packed
from lodestar.exchange.mapping.propose import propose
from lodestar.exchange.mapping.source import MAPPED_ROWS, read_source
from lodestar.exchange.mapping.spec import BadMapping, Mapping, mapping_from_json
from lodestar.exchange.reader import read_bytes
from lodestar.exchange.tests.conftest import workbook
from lodestar.okrs.models import CheckIn, Cycle, KeyResult, Objective
from lodestar.org.models import Person

TODAY = date(2026, 11, 22)

FLAT = (
    "Objective,Key Result,Owner Email,Team,Quarter,Start Value,Target Value,Current Value,"
    "Progress %\n"
    'Grow revenue,Reach 1M ARR,lead@example.com,Sales,Q4 2026,"200,000","1,000,000","450,000",\n'
    "Grow revenue,Sign 10 logos,new.hire@example.com,Sales,Q4 2026,0,10,4,\n"
    "Delight customers,NPS above 50,Member,Support,Q4 2026,30,50,,40%\n"
)


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel("2026-11-22 15:00Z", tick=False):
        yield


@pytest.fixture
def emails(world):
    Person.objects.filter(pk=world.lead.pk).update(email="lead@example.com")
    Person.objects.filter(pk=world.member.pk).update(first_name="Mem", last_name="Ber")
    return world


def source_of(text: str, name: str = "okrs.csv"):
    return read_source(io.BytesIO(text.encode()), name)


def mapped(text: str, mapping: Mapping | None = None, name: str = "okrs.csv"):
    source = source_of(text, name)
    return convert(source, mapping or Mapping(columns=propose(source), key_prefix="t"), acting=None)


# The proposal ---------------------------------------------------------------------------
def test_headers_propose_fields_in_several_languages():
    source = source_of(
        "Titel,Typ,Übergeordnet,Verantwortlich,Abteilung,Zeitraum,Startwert,Zielwert,Istwert,Fortschritt,Gewicht\n"
        "Umsatz steigern,Ziel,,a@x.de,Vertrieb,Q4 2026,0,10,5,50%,1\n"
    )
    assert propose(source) == {
        "title": "Titel",
        "type": "Typ",
        "parent": "Übergeordnet",
        "owner": "Verantwortlich",
        "unit": "Abteilung",
        "cycle": "Zeitraum",
        "start_value": "Startwert",
        "target": "Zielwert",
        "current": "Istwert",
        "progress": "Fortschritt",
        "weight": "Gewicht",
    }
    french = source_of(
        "Nom,Responsable,Équipe,Période,Cible,Échéance\n"
        "Croître,a@x.fr,Ventes,Q4 2026,10,2026-12-31\n"
    )
    assert propose(french) == {
        "title": "Nom",
        "owner": "Responsable",
        "unit": "Équipe",
        "cycle": "Période",
        "target": "Cible",
        "due_date": "Échéance",
    }


def test_value_shapes_propose_what_the_headers_do_not_say():
    source = source_of(
        "A,B,C,D,E,F,G\n"
        "Grow revenue,,ana@example.com,2026-10-01,2026-12-31,Q4 2026,\n"
        "Reach 1M ARR,Grow revenue,ana@example.com,2026-10-01,2026-12-31,Q4 2026,45%\n"
        "Sign logos,Grow revenue,bob@example.com,2026-10-01,2026-12-31,Q4 2026,10%\n"
    )
    assert propose(source) == {
        "title": "A",
        "parent": "B",
        "owner": "C",
        "start_date": "D",
        "end_date": "E",
        "cycle": "F",
        "progress": "G",
    }


# The conversion and its dry run ---------------------------------------------------------
def test_a_flat_sheet_becomes_objectives_key_results_and_check_ins(emails):
    result = mapped(FLAT)
    report = preview_incoming(result.incoming, acting=None)
    assert report.problems == []
    assert report.counts["objectives"]["created"] == 2
    assert report.counts["key_results"]["created"] == 3
    assert report.counts["checkins"]["created"] == 3
    assert report.counts["people"]["created"] == 1
    assert result.new_people == ["new.hire@example.com"]
    assert result.unmatched == {}  # "Member" is the one person of that name? no: "Mem Ber"
    lines = "\n".join(report.lines())
    assert "2 objectives have no strategic objective: link them after import" in lines
    assert "New people (1): new.hire@example.com." in lines


def test_the_import_writes_what_the_dry_run_said_and_again_changes_nothing(emails):
    result = mapped(FLAT)
    report = import_incoming(result.incoming, acting=None)
    assert report.problems == [] and report.written
    arr = KeyResult.objects.get(title="Reach 1M ARR")
    assert (arr.baseline, arr.target, arr.current) == (200_000, 1_000_000, 450_000)
    assert arr.owner.username == "lead" and arr.cycle.name == "Q4 2026"
    nps = KeyResult.objects.get(title="NPS above 50")
    assert nps.current == pytest.approx(38.0)  # 40 % of the way from 30 to 50
    assert Objective.objects.get(title="Delight customers").unit.name == "Support"
    again = import_incoming(mapped(FLAT).incoming, acting=None)
    assert again.problems == []
    assert {sheet: set(count) for sheet, count in again.counts.items() if count} == {
        "objectives": {"unchanged"},
        "key_results": {"unchanged"},
    }


def test_round_trip_map_import_export_import_changes_nothing(emails):
    import_incoming(mapped(FLAT).incoming, acting=None)
    before = export_rows(acting=None)
    report = import_book(read_bytes(xlsx_bytes(before), "export.xlsx"), acting=None)
    assert report.problems == []
    changed = {sheet: c for sheet, c in report.counts.items() if set(c) - {"unchanged"}}
    assert changed == {}
    assert export_rows(acting=None) == before


def test_a_typed_tree_with_ids_terms_and_left_out_rows(world):
    text = (
        "ID,Name,Kind,Parent,Owner,Team,Start,End,Target,Current\n"
        "1,Win the market,Big rock,,admin,Sales,2026-10-01,2026-12-31,,\n"
        "2,Grow the pipeline,Objective,1,admin,Sales,2026-10-01,2026-12-31,,\n"
        "3,Qualified leads,,2,admin,Sales,,,200,80\n"
        "4,Build the site,Project,2,admin,Sales,,,,\n"
    )
    source = source_of(text)
    mapping = Mapping(columns=propose(source), key_prefix="t", terms={"Big rock": "objective"})
    assert mapping.columns["type"] == "Kind" and mapping.columns["id"] == "ID"
    result = convert(source, mapping, acting=None)
    report = import_incoming(result.incoming, acting=None)
    assert report.problems == []
    child = Objective.objects.get(title="Grow the pipeline")
    assert child.parent.title == "Win the market" and child.cycle == world.cycle
    assert KeyResult.objects.get(title="Qualified leads").holdings.get().objective == child
    assert result.left_out == [5]
    assert any("1 rows are left out" in line for line in report.lines())


def test_a_new_cycle_is_said_with_the_one_it_overlaps(world):
    text = "Title,Start,End,Owner\nPlan the year,2026-11-01,2027-01-31,admin\n"
    result = mapped(text)
    assert result.new_cycles == [
        "Cycle 2026-11-01 to 2027-01-31 (2026-11-01 to 2027-01-31) is new; it overlaps Q4 2026."
    ]
    report = preview_incoming(result.incoming, acting=None)
    assert report.counts["cycles"]["created"] == 1


def test_display_names_are_matched_once_or_listed_to_be_named(emails):
    text = (
        "Objective,Key result,Owner,Target,Cycle\n"
        "O,K1,Mem Ber,5,Q4 2026\nO,K2,Nobody Known,5,Q4 2026\n"
    )
    result = mapped(text)
    assert result.unmatched == {"Nobody Known": [3]}
    report = preview_incoming(result.incoming, acting=None)
    assert report.ok
    assert any(
        "People it could not match (1), to name by hand: Nobody Known (row 3)" in line
        for line in report.lines()
    )
    named = Mapping(
        columns=propose(source_of(text)), key_prefix="t", people={"Nobody Known": "viewer"}
    )
    assert convert(source_of(text), named, acting=None).unmatched == {}


# Refusals: said by row and column, nothing written ----------------------------------------
@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("", "file: okrs.csv is empty (0 bytes)."),
        ("\n\n", "file: okrs.csv is empty: no rows."),
        (
            "12,ana@example.com,2026-01-01\n13,bob@example.com,2026-02-01\n",
            "file, row 1: The first row holds values (12…), not column names: add a header "
            "row naming each column.",
        ),
        ("Title,Target\n", "file: The file has a header row and no rows."),
    ],
)
def test_malformed_files_are_refused_in_words(text, said):
    source = source_of(text)
    assert [str(p) for p in source.problems] == [said.replace("(12…)", "('12'…)")]


def test_a_50000_row_csv_is_refused_before_it_is_read(world, database_state):
    before = database_state()
    text = "Title,Target\n" + "".join(f"KR {n},10\n" for n in range(50_000))
    source = source_of(text)
    assert [p.message for p in source.problems] == [
        f"The file has {MAPPED_ROWS + 1:,} rows or more; a mapped import reads at most "
        f"{MAPPED_ROWS:,}: split it into files of fewer rows (by cycle or by team) and import each."
    ]
    assert database_state() == before


def test_bad_numbers_and_dates_are_said_by_row_and_column_and_nothing_is_written(
    world, database_state
):
    before = database_state()
    text = (
        "Objective,Key result,Owner,Target,Current,Due\n"
        "O,K1,admin,ten,5,2026-12-01\nO,K2,admin,10,5,soon\n"
    )
    result = mapped(text)
    report = import_incoming(result.incoming, acting=None)
    assert [str(p) for p in report.problems] == [
        "okrs.csv, row 2, column Target: The value is not a number ('ten').",
        "okrs.csv, row 3, column Due: The value is not a date (such as 2026-03-31 or "
        "31/03/2026): 'soon'.",
    ]
    assert database_state() == before


def test_problems_the_import_finds_are_said_in_the_files_terms(world):
    text = "Objective,Key result,Owner,Start value,Target,Cycle\nO,K1,admin,5,5,Q4 2026\n"
    report = preview_incoming(mapped(text).incoming, acting=None)
    assert [str(p) for p in report.problems] == [
        "okrs.csv, row 2, column Target: The target equals the baseline: nothing to progress. "
        "(as Lodestar's key results, column target)"
    ]


def test_a_member_cannot_import_more_than_by_hand(world):
    text = "Objective,Key result,Owner,Target,Cycle,Team\nO,K1,member,5,Q4 2026,Support\n"
    report = import_incoming(mapped(text).incoming, acting=world.member, dry_run=True)
    assert str(report.problems[0]) == (
        "okrs.csv, row 2: You may not write OKRs for this unit. (as Lodestar's objectives)"
    )


# The mapping as JSON, and the command ---------------------------------------------------
def test_a_mapping_reads_back_from_its_json_and_refuses_nonsense():
    mapping = Mapping(
        columns={"title": "Name"}, cycle="Q4 2026", key_prefix="p", terms={"Rock": "objective"}
    )
    assert mapping_from_json(mapping.as_json("mine")) == mapping
    with pytest.raises(BadMapping, match="not JSON"):
        mapping_from_json("{")
    with pytest.raises(BadMapping, match="fields Lodestar does not have: colour"):
        mapping_from_json(json.dumps({"format": "lodestar-mapping/1", "columns": {"colour": "C"}}))


def test_the_job_reads_the_packed_file_by_its_mapping(emails):
    source = source_of(FLAT)
    package = packed(FLAT.encode(), "okrs.csv", Mapping(columns=propose(source), key_prefix="t"))
    incoming = read_incoming(io.BytesIO(package), "okrs.mapping.zip", acting=None)
    assert incoming.shape == "mapping"
    assert import_incoming(incoming, acting=None).written
    assert KeyResult.objects.count() == 3


def test_the_command_imports_by_a_mapping_file(emails, tmp_path, capsys):
    source = source_of(FLAT)
    (tmp_path / "map.json").write_text(Mapping(columns=propose(source), key_prefix="t").as_json())
    (tmp_path / "okrs.csv").write_text(FLAT)
    call_command(
        "import", str(tmp_path / "okrs.csv"), "--map", str(tmp_path / "map.json"), "--dry-run"
    )
    assert KeyResult.objects.count() == 0
    call_command("import", str(tmp_path / "okrs.csv"), "--map", str(tmp_path / "map.json"))
    assert KeyResult.objects.count() == 3
    assert CheckIn.objects.count() == 3
    (tmp_path / "bad.json").write_text("{}")
    with pytest.raises(CommandError, match="not a Lodestar mapping"):
        call_command("import", str(tmp_path / "okrs.csv"), "--map", str(tmp_path / "bad.json"))


def test_xlsx_files_are_read_by_their_first_sheet(emails):
    data = workbook(
        {
            "Goals": [
                ["Objective", "Key result", "Owner", "Target", "Cycle"],
                ["O", "K", "admin", 5, "Q4 2026"],
            ]
        }
    )
    source = read_source(io.BytesIO(data), "goals.xlsx")
    assert source.headers == ["Objective", "Key result", "Owner", "Target", "Cycle"]
    assert preview_incoming(
        convert(source, Mapping(columns=propose(source)), acting=None).incoming, acting=None
    ).ok
    assert Cycle.objects.count() == 1


def test_new_cycles_take_their_dates_from_their_names():
    assert named_dates("Q3 2026") == (date(2026, 7, 1), date(2026, 9, 30))
    assert named_dates("2026-H2") == (date(2026, 7, 1), date(2026, 12, 31))
    assert named_dates("FY2027") == (date(2027, 1, 1), date(2027, 12, 31))
    assert named_dates("Sprint 5") is None
    assert dates_name(date(2026, 10, 1), date(2026, 12, 31)) == "Q4 2026"
    assert dates_name(date(2026, 11, 1), date(2027, 1, 31)) == "2026-11-01 to 2027-01-31"


def test_a_chain_of_parents_deeper_than_any_tree_is_read_without_failing(world):
    rows = "".join(
        f"Goal {n},{'Goal ' + str(n - 1) if n else ''},admin,Q4 2026\n" for n in range(400)
    )
    result = mapped("Name,Parent,Owner,Cycle\n" + rows)
    assert result.incoming.book.problems == []
    assert len(result.incoming.book.tables["objectives"].rows) == 400
