"""An integrator's job through a client generated from the served document: the OpenAPI
document is a contract a generator takes without a warning, and the typed client it
makes does a quarter's OKR and scorecard work against a live server.

One test, since generating the client takes a few seconds."""

import importlib
import sys
from datetime import timedelta
from enum import Enum
from pathlib import Path

import httpx
import pytest
from django.utils import timezone
from openapi_python_client import generate
from openapi_python_client.config import Config, ConfigFile, MetaType

from lodestar.api.services import api_token_create
from lodestar.org import services as org_services
from lodestar.org.models import Person

PACKAGE = "lodestar_generated_client"


def generated_client(document_url: str, into: Path):
    """The client package generated from the document served at `document_url`, imported."""
    # Read here, not by the generator: its fetch would go through any proxy in the environment.
    served = httpx.get(document_url, trust_env=False, timeout=120)
    assert served.status_code == 200
    document = into / "openapi.json"
    document.write_bytes(served.content)
    config = Config.from_sources(
        ConfigFile(post_hooks=[]),  # no formatter run: the code is only imported
        MetaType.NONE,
        document,
        "utf-8",
        overwrite=True,
        output_path=into / PACKAGE,
    )
    warnings = generate(config=config)
    assert [f"{w.header}: {w.detail}" for w in warnings] == []
    sys.path.insert(0, str(into))
    try:
        return importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(into))


@pytest.fixture
def client_package(live_server, tmp_path):
    yield generated_client(f"{live_server.url}/api/v1/openapi.json", tmp_path)
    for name in [m for m in sys.modules if m == PACKAGE or m.startswith(PACKAGE + ".")]:
        del sys.modules[name]


@pytest.fixture
def integrator(transactional_db) -> tuple[Person, str]:
    """An admin with a token: the integrator's service account."""
    admin = org_services.person_create(acting=None, username="integrator", role=Person.Role.ADMIN)
    _, secret = api_token_create(acting=None, person=admin, name="integration")
    return admin, secret


def enum_classes(models) -> dict[tuple, list[str]]:
    """The client's enum classes by their values."""
    found: dict[tuple, list[str]] = {}
    for name in dir(models):
        kind = getattr(models, name)
        if isinstance(kind, type) and issubclass(kind, Enum):
            found.setdefault(tuple(sorted(m.value for m in kind)), []).append(name)
    return found


def test_an_integrator_runs_a_quarter_through_the_generated_client(
    integrator, live_server, client_package
):
    from lodestar_generated_client import AuthenticatedClient, models
    from lodestar_generated_client.api.checkins import check_in_create
    from lodestar_generated_client.api.cycles import cycle_activate, cycle_create
    from lodestar_generated_client.api.insights import insights_digest
    from lodestar_generated_client.api.key_results import key_result_create, key_result_read
    from lodestar_generated_client.api.measure_values import measure_value_create
    from lodestar_generated_client.api.measures import measure_create, measure_read
    from lodestar_generated_client.api.objectives import (
        objective_create,
        objective_key_result_hold,
        objective_read,
    )
    from lodestar_generated_client.api.people import me, person_create
    from lodestar_generated_client.api.perspectives import perspective_list
    from lodestar_generated_client.api.scorecards import scorecard_create
    from lodestar_generated_client.api.strategic_objectives import strategic_objective_create
    from lodestar_generated_client.api.units import unit_create, unit_member_set

    # One enum class per kind of value, whatever the number of fields carrying it.
    assert all(len(names) == 1 for names in enum_classes(models).values())
    assert enum_classes(models)[("green", "grey", "red", "yellow")] == ["Colour"]

    admin, secret = integrator
    api = AuthenticatedClient(live_server.url, secret, raise_on_unexpected_status=True)

    def ok(response, status: int = 200):
        assert response.status_code == status, response.content
        return response.parsed

    me = ok(me.sync_detailed(client=api))
    assert me.id == admin.pk and me.permissions.admin and me.role == models.PersonRole.ADMIN

    # The organisation: a unit with its lead.
    unit = ok(unit_create.sync_detailed(client=api, body=models.UnitIn(name="Sales")), 201)
    assert unit.kind is models.UnitKind.TEAM
    lena = ok(person_create.sync_detailed(client=api, body=models.PersonIn(username="lena")), 201)
    placed = ok(
        unit_member_set.sync_detailed(
            unit.id, lena.id, client=api, body=models.MembershipIn(role=models.MembershipRole.LEAD)
        )
    )
    assert placed.role is models.MembershipRole.LEAD

    # The quarter: a running cycle, two objectives owned by the caller by default.
    today = timezone.localdate()
    cycle = ok(
        cycle_create.sync_detailed(
            client=api,
            body=models.CycleIn(name="Now", start=today - timedelta(30), end=today + timedelta(60)),
        ),
        201,
    )
    assert ok(cycle_activate.sync_detailed(cycle.id, client=api)).state is (
        models.CycleState.ACTIVE
    )

    def objective(title: str):
        body = models.ObjectiveIn(cycle=cycle.id, title=title, unit=unit.id)
        return ok(objective_create.sync_detailed(client=api, body=body), 201)

    grow, retain = objective("Grow"), objective("Retain")
    assert grow.owner == admin.pk and grow.kind is models.ObjectiveKind.ASPIRATIONAL

    def key_result(title: str, **fields):
        body = models.KeyResultIn(objective=grow.id, title=title, **fields)
        return ok(key_result_create.sync_detailed(client=api, body=body), 201)

    deals = key_result("Win 100 deals", baseline=0, target=100, weight=2)
    churn = key_result("Churn down to 5 %", baseline=8, target=5)  # a decrease
    launch = key_result("Ship 4 features", kind=models.KeyResultKind.MILESTONE, target=4)
    shared = ok(
        objective_key_result_hold.sync_detailed(
            retain.id, client=api, body=models.HoldIn(key_result=deals.id, weight=3)
        ),
        201,
    )
    assert shared.weight == 3

    # Check-ins dated in the past, the older one entered last.
    def check_in(kr, value: float, days_ago: int):
        at = timezone.now() - timedelta(days=days_ago)
        body = models.CheckInIn(key_result=kr.id, value=value, confidence=7, at=at)
        return ok(check_in_create.sync_detailed(client=api, body=body), 201)

    check_in(deals, 70, days_ago=5)
    check_in(deals, 40, days_ago=15)
    check_in(churn, 6.5, days_ago=5)
    check_in(launch, 2, days_ago=5)

    # A measure value posted twice for one period: created, then replaced.
    card = ok(
        scorecard_create.sync_detailed(
            client=api,
            body=models.ScorecardIn(
                unit=unit.id,
                name="Sales 2026",
                period_start=today.replace(month=1, day=1),
                period_end=today.replace(month=12, day=31),
            ),
        ),
        201,
    )
    listed = ok(perspective_list.sync_detailed(client=api, scorecard=card.id))
    customer = next(p for p in listed.items if p.name == "Customer")
    strategic = ok(
        strategic_objective_create.sync_detailed(
            client=api,
            body=models.StrategicObjectiveIn(
                scorecard=card.id, perspective=customer.id, name="Keep customers"
            ),
        ),
        201,
    )
    lost = ok(
        measure_create.sync_detailed(
            client=api,
            body=models.MeasureIn(
                objective=strategic.id,
                name="Customers lost",
                baseline=20,
                target=10,
                direction=models.Direction.LOWER,
            ),
        ),
        201,
    )
    assert lost.direction is models.Direction.LOWER and lost.frequency is models.Frequency.MONTHLY

    def record(actual: float, status: int):
        body = models.MeasureValueIn(measure=lost.id, period=today, actual=actual)
        return ok(measure_value_create.sync_detailed(client=api, body=body), status)

    first, again = record(18, 201), record(12, 200)
    assert again.id == first.id and again.actual == 12

    # The scores, read back typed.
    def read(kr):
        return ok(key_result_read.sync_detailed(kr.id, client=api))

    scores = [read(kr).score for kr in (deals, churn, launch)]
    assert scores == pytest.approx([0.7, 0.5, 0.5])
    assert read(deals).current == 70  # the older check-in joined the history only
    assert {h.objective: h.weight for h in read(deals).holdings} == {grow.id: 2, retain.id: 3}
    grow = ok(objective_read.sync_detailed(grow.id, client=api))
    assert grow.score == pytest.approx((0.7 * 2 + 0.5 + 0.5) / 4)
    assert grow.colour is models.Colour.YELLOW
    retain = ok(objective_read.sync_detailed(retain.id, client=api))
    assert retain.score == pytest.approx(0.7) and retain.colour is models.Colour.GREEN
    lost = ok(measure_read.sync_detailed(lost.id, client=api))
    assert lost.performance == pytest.approx(0.8) and lost.status is models.Colour.YELLOW

    digest = ok(insights_digest.sync_detailed(client=api))
    assert isinstance(digest.sections, models.DigestSectionsOut)
    assert all(isinstance(alert, models.AlertOut) for alert in digest.sections.at_risk)
