"""Kept figures: fresh while no change in their scope is newer; a stale one is served
with its age within INSIGHTS_MAX_AGE_SECONDS while ONE computation of its new value runs
(in the request, or on the "insights" queue); computed in the request on a first visit,
beyond the bound, on another day, or when a row cannot be read."""

import threading
import time
from datetime import date, timedelta

import pytest
import time_machine
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from lodestar.insights import kept as kept_module
from lodestar.insights.kept import Scope, code_fingerprint
from lodestar.insights.models import InsightCache
from lodestar.insights.tasks import kept_refresh
from lodestar.insights.tests.helpers import check_in, okr
from lodestar.org import changes
from lodestar.org.acting import service
from lodestar.org.changes import changed, changed_everything
from lodestar.org.models import Change
from lodestar.org.reader import Reader

pytestmark = pytest.mark.django_db

CALLS: list[str] = []
VALUES: dict[str, object] = {}


def figure(person, label: str):
    """A figure a worker can compute again from its name: counts its computations."""
    CALLS.append(label)
    return VALUES.get(label, label)


@pytest.fixture(autouse=True)
def clean():
    CALLS.clear()
    VALUES.clear()


def kept(label: str, scope: Scope = kept_module.COMPANY, reader=None):
    """Kept for a reader who may read nothing (a group of their own), unless given."""
    return (reader or Reader(None)).kept(figure, label, scope=scope)


def test_a_kept_value_is_computed_once_until_a_change_in_its_scope():
    VALUES["figure"] = {"figure": 0.42}
    assert kept("figure") == {"figure": 0.42}
    assert kept("figure") == {"figure": 0.42}
    assert CALLS == ["figure"]
    changed_everything()  # what a service that names nothing records
    kept("figure")
    assert CALLS == ["figure", "figure"]


def test_a_change_in_one_unit_leaves_another_units_figure_fresh(world):
    scopes = {
        "sales": Scope(unit=world.sales.pk),
        "support": Scope(unit=world.support.pk),
        "company": Scope(),
    }
    for label, scope in scopes.items():
        kept(label, scope)
    CALLS.clear()
    changed(units=[world.inside_sales.pk])  # below Sales
    for label, scope in scopes.items():
        kept(label, scope)
    assert sorted(CALLS) == ["company", "sales"]  # Support's figure is fresh


def test_a_check_in_in_a_unit_makes_its_and_the_companys_figures_stale_only(world):
    objective = okr(world, "Win the north", unit=world.sales, key_results=1)
    key_result = objective.key_results.get()
    scopes = {
        "sales": Scope(unit=world.sales.pk),
        "support": Scope(unit=world.support.pk),
        "company": Scope(),
        "history": Scope(months=True),
        "other cycle": Scope(cycle=world.cycle.pk + 1000),
    }
    for label, scope in scopes.items():
        kept(label, scope)
    CALLS.clear()
    check_in(key_result, 3, timezone.localdate())
    for label, scope in scopes.items():
        kept(label, scope)
    assert sorted(CALLS) == ["company", "sales"]


def test_a_write_records_its_change_in_one_statement(world):
    objective = okr(world, "Win the north", unit=world.sales, key_results=1)
    key_result = objective.key_results.get()
    with transaction.atomic(), CaptureQueriesContext(connection) as queries, changes.recording():
        changed(key_results=[key_result.pk], cycle=world.cycle.pk)
        changed(units=[world.support.pk], cycle=world.cycle.pk)
    assert len(queries) == 1, [q["sql"] for q in queries]
    change = Change.objects.latest("pk")
    assert change.units == f",{world.sales.pk},{world.support.pk}," or set(
        change.units.strip(",").split(",")
    ) == {str(world.sales.pk), str(world.support.pk)}
    assert (change.cycle_id, change.everything) == (world.cycle.pk, False)


def test_a_check_in_appends_one_change_and_updates_no_shared_row(world):
    objective = okr(world, "Win the north", unit=world.inside_sales, key_results=1)
    key_result = objective.key_results.get()
    table = Change._meta.db_table
    with CaptureQueriesContext(connection) as queries:
        check_in(key_result, 3, timezone.localdate())
    touching = [q["sql"] for q in queries if table in q["sql"]]
    assert len(touching) == 1 and touching[0].lstrip().upper().startswith("INSERT")
    change = Change.objects.latest("pk")
    assert f",{world.inside_sales.pk}," in change.units and not change.everything
    assert change.cycle_id == world.cycle.pk


def test_a_change_still_committing_when_a_computation_began_makes_it_stale():
    """PostgreSQL hands out ids as rows are inserted: a write that took id n may commit
    after one that took n + 1, and after a computation that saw n + 1 began."""
    changed_everything()
    committing = Change.objects.create(at=timezone.now(), everything=True)
    changed_everything()
    committing.delete()  # not committed yet when the computation begins
    kept("racing")
    Change.objects.create(pk=committing.pk, at=committing.at, everything=True)  # commits
    kept("racing")
    assert CALLS == ["racing", "racing"]


@service
def named_nothing(*, acting) -> None:
    """A write that says nothing of what it touched."""


def test_a_service_that_names_nothing_changed_everything():
    named_nothing(acting=None)
    assert Change.objects.latest("pk").everything


def test_a_stale_figure_is_served_with_its_age_then_refreshed_by_its_task(settings):
    settings.INSIGHTS_REFRESH = "background"
    VALUES["health"] = "old"
    first = Reader(None)
    kept("health", reader=first)
    computed = first.kept_as_of
    VALUES["health"] = "new"
    changed_everything()
    reader = Reader(None)
    assert kept("health", reader=reader) == "old"  # served while its new value is computed
    assert reader.kept_as_of == computed  # with its age
    assert CALLS == ["health"]
    (job,) = DBTaskResult.objects.filter(queue_name="insights")
    kept_refresh.call(*job.args_kwargs["args"], **job.args_kwargs["kwargs"])
    reader = Reader(None)
    assert kept("health", reader=reader) == "new"
    assert reader.kept_as_of > computed
    assert CALLS == ["health", "health"]


def test_one_computation_at_a_time_the_others_serve_the_kept_value(settings):
    settings.INSIGHTS_REFRESH = "background"
    kept("busy")
    changed_everything()
    key = kept_module.key_of(Reader(None).group, figure, ("busy",))
    now = timezone.now()
    assert kept_module.claimed(key, now)  # one refresher claims it…
    assert not kept_module.claimed(key, now)  # …a second, at the same moment, does not
    kept_module.release(key)
    for _ in range(3):  # three readers find it stale: one refresh is queued
        assert kept("busy") == "busy"
    assert DBTaskResult.objects.filter(queue_name="insights").count() == 1
    assert CALLS == ["busy"]


def test_inline_one_reader_computes_the_others_serve_the_kept_value():
    kept("inline")
    changed_everything()
    key = kept_module.key_of(Reader(None).group, figure, ("inline",))
    assert kept_module.claimed(key, timezone.now())  # another request is computing it
    assert kept("inline") == "inline"
    assert CALLS == ["inline"]


def test_beyond_the_bound_a_stale_figure_is_computed_in_the_request(settings):
    settings.INSIGHTS_REFRESH = "background"
    kept("late")
    changed_everything()
    with time_machine.travel(timezone.now() + timedelta(seconds=61)):
        kept("late")
    assert CALLS == ["late", "late"]
    assert not DBTaskResult.objects.exists()


def test_the_score_history_is_kept_across_check_ins_of_this_month(world):
    objective = okr(world, "Win the north", key_results=1)
    kept("history", Scope(months=True))
    check_in(objective.key_results.get(), 3, timezone.localdate())
    kept("history", Scope(months=True))
    assert CALLS == ["history"]
    changed(units=[world.sales.pk], months=True)  # a value of a month already over
    kept("history", Scope(months=True))
    assert CALLS == ["history", "history"]


def test_a_new_day_computes_again_and_drops_the_rows_and_changes_of_past_days():
    kept("day")
    changed_everything()
    with time_machine.travel(timezone.now() + timedelta(days=1, minutes=1)):
        kept("other")
        kept("day")
        assert CALLS == ["day", "other", "day"]
        assert InsightCache.objects.count() == 2
        assert not Change.objects.filter(at__lt=timezone.now() - timedelta(days=1)).exists()


def test_a_row_that_cannot_be_read_is_computed_again_not_an_error():
    kept("broken")
    InsightCache.objects.update(payload=b"not a pickle")
    assert kept("broken") == "broken"
    assert CALLS == ["broken", "broken"]


def test_the_key_carries_the_code_so_another_release_never_reads_a_row():
    kept("release")
    InsightCache.objects.update(key=f"an-older-release:{InsightCache.objects.get().key[13:]}")
    kept("release")
    assert CALLS == ["release", "release"]
    assert InsightCache.objects.filter(key__startswith=code_fingerprint()).count() == 1


def test_a_value_that_cannot_be_kept_is_still_answered():
    VALUES["unpicklable"] = lambda: "a closure"
    assert kept("unpicklable")() == "a closure"
    assert not InsightCache.objects.exists()


def test_a_page_says_how_old_its_figures_are(world, client):
    client.force_login(world.admin)
    page = client.get("/").content.decode()
    assert "Figures as of" in page
    assert date.today().isoformat()[:4] in page  # the time's datetime attribute


def slow(person, label: str):
    """A figure that takes a while: long enough for a second reader to arrive meanwhile."""
    CALLS.append(label)
    time.sleep(0.5)
    return label


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_refreshers_one_computes_the_other_serves_the_kept_value():
    Reader(None).kept(slow, "shared")
    changed_everything()
    CALLS.clear()
    answers = []

    def read() -> None:
        try:
            answers.append(Reader(None).kept(slow, "shared"))
        finally:
            connection.close()  # each thread's own connection

    threads = [threading.Thread(target=read) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == ["shared", "shared"]
    assert CALLS == ["shared"]  # one computed, the other was served the kept value
