"""The incremental roll-up must leave exactly the scores a full recompute produces."""

import random
from datetime import date

import pytest
from django.core.management import call_command

from lodestar.okrs.models import KeyResult, Objective
from lodestar.okrs.services import (
    checkin_create,
    key_result_create,
    key_result_hold,
    key_result_update,
    objective_create,
    objective_update,
)
from lodestar.org.models import Change
from lodestar.scores.rollup import recompute_all
from lodestar.strategy.models import Measure, Perspective, Scorecard, StrategicObjective
from lodestar.strategy.services import (
    measure_create,
    measure_update,
    measure_value_record,
    perspective_update,
    scorecard_create,
    strategic_objective_create,
    strategic_objective_update,
)


def stored_scores() -> dict:
    return {
        "key results": sorted(KeyResult.objects.values_list("pk", "score", "progress")),
        "objectives": sorted(Objective.objects.values_list("pk", "score")),
        "measures": sorted(Measure.objects.values_list("pk", "performance", "status")),
        "strategic": sorted(
            StrategicObjective.objects.values_list("pk", "performance", "execution")
        ),
        "perspectives": sorted(Perspective.objects.values_list("pk", "score", "execution")),
        "scorecards": sorted(Scorecard.objects.values_list("pk", "score", "execution")),
    }


class RandomWrites:
    """Applies a random series of the writes users make, through the services."""

    def __init__(self, world, rng: random.Random):
        self.world, self.rng = world, rng
        child_card = scorecard_create(
            acting=None,
            unit=world.sales,
            name="Sales",
            period_start=date(2026, 1, 1),
            period_end=date(2026, 12, 31),
        )
        self.cards = [world.scorecard, child_card]
        self.strategic, self.measures, self.okrs, self.key_results = [], [], [], []

    def number(self) -> float:
        return round(self.rng.uniform(-50, 150), 2)

    def add_strategic(self) -> None:
        card = self.rng.choice(self.cards)
        parents = [o for o in self.strategic if o.scorecard == self.cards[0]]
        parent = self.rng.choice(parents) if card != self.cards[0] and parents else None
        self.strategic.append(
            strategic_objective_create(
                acting=None,
                scorecard=card,
                perspective=self.rng.choice(list(card.perspectives.all())),
                name=f"S{len(self.strategic)}",
                weight=self.rng.choice([0, 1, 2, 3]),
                parent=parent,
            )
        )

    def add_measure(self) -> None:
        baseline = self.number()
        self.measures.append(
            measure_create(
                acting=None,
                objective=self.rng.choice(self.strategic),
                name=f"M{len(self.measures)}",
                direction=self.rng.choice(["higher", "lower"]),
                baseline=baseline,
                target=baseline + self.rng.choice([-1, 1]) * self.rng.uniform(1, 80),
                weight=self.rng.choice([1, 2]),
            )
        )

    def add_value(self) -> None:
        measure_value_record(
            acting=None,
            measure=self.rng.choice(self.measures),
            period=date(2026, self.rng.randint(1, 12), 1),
            actual=self.number(),
        )

    def add_okr(self) -> None:
        self.okrs.append(
            objective_create(
                acting=None,
                cycle=self.world.cycle,
                title=f"O{len(self.okrs)}",
                unit=self.world.sales,
                contributes_to=self.rng.sample(self.strategic, k=min(2, len(self.strategic))),
                weight=self.rng.choice([1, 2]),
                visibility=self.rng.choice(["public", "public", "private"]),
            )
        )

    def add_key_result(self) -> None:
        baseline = self.number()
        measure = self.rng.choice([None, *self.measures])
        self.key_results.append(
            key_result_create(
                acting=None,
                objective=self.rng.choice(self.okrs),
                title=f"K{len(self.key_results)}",
                owner=self.world.member,
                kind=self.rng.choice(["metric", "metric", "stay_above"]),
                baseline=baseline,
                target=baseline + self.rng.choice([-10, 5, 40]),
                linked_measure=measure,
                weight=self.rng.choice([1, 2, 3]),
            )
        )

    def check_in(self) -> None:
        checkin_create(
            acting=None,
            key_result=self.rng.choice(self.key_results),
            value=self.number(),
            confidence=self.rng.randint(0, 10),
        )

    def share(self) -> None:
        key_result, objective = self.rng.choice(self.key_results), self.rng.choice(self.okrs)
        if not objective.holdings.filter(key_result=key_result).exists():
            key_result_hold(acting=None, objective=objective, key_result=key_result, weight=2)

    def reweigh(self) -> None:
        choice = self.rng.randint(0, 5)
        if choice == 0:
            perspective_update(
                acting=None,
                perspective=self.rng.choice(list(Perspective.objects.all())),
                weight=self.rng.choice([0, 1, 4]),
            )
        elif choice == 1:
            strategic_objective_update(
                acting=None, objective=self.rng.choice(self.strategic), weight=2.5
            )
        elif choice == 2:
            measure = self.rng.choice(self.measures)
            measure_update(acting=None, measure=measure, target=measure.baseline + 7)
        elif choice == 3:
            objective_update(
                acting=None,
                objective=self.rng.choice(self.okrs),
                contributes_to=[self.rng.choice(self.strategic)],
            )
        elif choice == 4:
            objective = self.rng.choice(self.okrs)
            visibility = "public" if objective.visibility == "private" else "private"
            objective_update(acting=None, objective=objective, visibility=visibility)
        else:
            key_result = self.rng.choice(self.key_results)
            key_result_update(acting=None, key_result=key_result, target=key_result.baseline + 3)

    def run(self, steps: int) -> None:
        self.add_strategic()
        self.add_measure()
        self.add_okr()
        self.add_key_result()
        actions = [
            self.add_strategic,
            self.add_measure,
            self.add_value,
            self.add_okr,
            self.add_key_result,
            self.check_in,
            self.check_in,
            self.check_in,
            self.share,
            self.reweigh,
        ]
        for _ in range(steps):
            self.rng.choice(actions)()


@pytest.mark.parametrize("seed", range(6))
def test_incremental_scores_equal_a_full_recompute(world, seed):
    RandomWrites(world, random.Random(seed)).run(steps=60)
    incremental = stored_scores()
    assert any(score is not None for _, score in incremental["objectives"])
    recompute_all()
    assert stored_scores() == incremental


def test_recompute_repairs_scores_and_reports_progress(world, capsys):
    RandomWrites(world, random.Random(99)).run(steps=30)
    expected = stored_scores()
    StrategicObjective.objects.update(performance=None, execution=None)
    KeyResult.objects.update(score=None)
    call_command("recompute")
    assert stored_scores() == expected
    output = capsys.readouterr().out
    assert "key results:" in output and "All scores recomputed." in output


def test_a_recompute_records_a_change_of_everything_so_kept_figures_are_stale(world):
    before = Change.objects.filter(everything=True).count()
    recompute_all()
    assert Change.objects.filter(everything=True).count() == before + 1
