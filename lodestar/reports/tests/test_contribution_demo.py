"""On the demo: the person summary's perspective executions are the stored ones for the
active cycle (the same rule as the roll-up), and every owner's parts add up to them."""

from collections import defaultdict

import pytest

from lodestar.okrs.models import Cycle
from lodestar.org.models import Person
from lodestar.reports.contribution import perspective_contributions
from lodestar.strategy.models import Perspective


def test_active_cycle_executions_are_the_stored_ones_and_the_parts_add_up(demo_org, db):
    stored = {
        (p.scorecard.name, p.name): p.execution
        for p in Perspective.objects.select_related("scorecard")
    }
    parts: dict[tuple[str, str, str], float] = defaultdict(float)
    executions: dict[tuple[str, str, str], float] = {}
    for person in Person.objects.all():
        for found in perspective_contributions(person):
            key = (found.cycle.name, found.scorecard, found.perspective)
            executions[key] = found.execution
            parts[key] += found.part
            if found.cycle.state == Cycle.State.ACTIVE:
                assert found.execution == pytest.approx(stored[found.scorecard, found.perspective])
    assert any(cycle.startswith("Q4") for cycle, _, _ in executions)  # the active cycle
    assert any(cycle.startswith("Q3") for cycle, _, _ in executions)  # and a closed one
    # Objectives nobody owns make a part nobody has: the owners' parts add up to at most it.
    for key, execution in executions.items():
        assert parts[key] <= execution + 1e-9
