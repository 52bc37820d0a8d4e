import pytest


@pytest.fixture(autouse=True)
def local_receivers_allowed(settings):
    """The real receivers of these tests stand for Slack, Teams and a CRM on 127.0.0.1: an
    operator allows such a host by name (the gate itself: lodestar/tests/test_outbound_gate)."""
    settings.OUTBOUND_ALLOWED_HOSTS = ["127.0.0.1"]
