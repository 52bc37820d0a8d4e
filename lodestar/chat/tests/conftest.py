import pytest

from lodestar.okrs.services import key_result_create, objective_create


@pytest.fixture(autouse=True)
def local_receivers_allowed(settings):
    """The real receiver of these tests stands for Slack's Web API on 127.0.0.1: an
    operator allows such a host by name (the gate itself: lodestar/tests/test_outbound_gate)."""
    settings.OUTBOUND_ALLOWED_HOSTS = ["127.0.0.1"]


@pytest.fixture
def nps(world):
    """The member's key result on the sales objective (public)."""
    objective = objective_create(
        acting=None,
        cycle=world.cycle,
        title="Delight customers",
        unit=world.sales,
        owner=world.lead,
    )
    return key_result_create(
        acting=None,
        objective=objective,
        title="Raise NPS from 45 to 70",
        owner=world.member,
        baseline=45,
        target=70,
    )
