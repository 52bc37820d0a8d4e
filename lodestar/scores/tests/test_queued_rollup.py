"""The queued strategy roll-up (settings.ROLLUP_STRATEGY = "queued"): writes note what they
owe and change no strategic score; a drain brings every score to what a recompute gives,
and a drain that fails loses no note."""

import random

import pytest
from django.urls import reverse

from lodestar.jobs.schedule import schedule_tick
from lodestar.jobs.testing import run_jobs
from lodestar.scores import rollup
from lodestar.scores.models import StrategyOwed
from lodestar.scores.rollup import recompute_all, strategy_drain
from lodestar.scores.tasks import strategy_drain_job
from lodestar.scores.tests.test_rollup import RandomWrites, stored_scores
from lodestar.strategy.models import StrategicObjective


@pytest.fixture
def queued(settings):
    settings.ROLLUP_STRATEGY = "queued"


def strategic_scores() -> dict:
    return dict(StrategicObjective.objects.values_list("pk", "execution"))


def test_writes_note_what_they_owe_and_a_drain_equals_a_recompute(world, queued):
    RandomWrites(world, random.Random(7)).run(steps=60)
    assert StrategyOwed.objects.exists()
    owed = strategic_scores()
    assert strategy_drain() > 0
    assert strategic_scores() != owed  # the writes had changed nothing above the OKRs
    assert not StrategyOwed.objects.exists() and strategy_drain() == 0
    drained = stored_scores()
    recompute_all()
    assert stored_scores() == drained


def test_a_drain_that_fails_keeps_every_note(world, queued, monkeypatch):
    RandomWrites(world, random.Random(11)).run(steps=30)
    notes = StrategyOwed.objects.count()
    before = strategic_scores()

    def dies(objective_ids):
        raise RuntimeError("the worker died")

    monkeypatch.setattr(rollup, "strategy_write", dies)
    with pytest.raises(RuntimeError):
        strategy_drain()
    assert StrategyOwed.objects.count() == notes and strategic_scores() == before
    monkeypatch.undo()
    # What a worker does: its schedule enqueues the drain while notes wait, and runs it.
    assert schedule_tick(["rollup"]) == [strategy_drain_job.module_path]
    assert [job.status for job in run_jobs()] == ["SUCCESSFUL"]
    assert not StrategyOwed.objects.exists()
    drained = stored_scores()
    recompute_all()
    assert stored_scores() == drained


def test_pages_and_health_say_while_strategy_scores_are_owed(world, queued, signed_in, client):
    RandomWrites(world, random.Random(3)).run(steps=20)
    notes = StrategyOwed.objects.count()
    assert notes
    page = signed_in(world.member).get(reverse("dashboard")).content.decode()
    assert "Strategy scores are being refreshed" in page
    assert client.get("/health").json()["strategy_owed"] == notes
    strategy_drain()
    page = signed_in(world.member).get(reverse("dashboard")).content.decode()
    assert "Strategy scores are being refreshed" not in page
    assert client.get("/health").json()["strategy_owed"] == 0
