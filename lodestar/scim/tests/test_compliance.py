"""The SCIM endpoint against an independent compliance checker (scim2-tester), over real HTTP
to the live server: every check it runs for Users and Groups must pass."""

import httpx2
import pytest
from scim2_client.engines.httpx2 import SyncSCIMClient
from scim2_tester import Status, check_server

from lodestar.org.services import unit_create
from lodestar.scim.services import scim_client_create

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_checker_finds_nothing_wrong(live_server, settings):
    settings.SITE_URL = live_server.url
    unit_create(acting=None, name="Acme", kind="company")
    _, secret = scim_client_create(acting=None, name="Entra")
    http = httpx2.Client(
        base_url=f"{live_server.url}/scim/v2",
        headers={"Authorization": f"Bearer {secret}"},
        timeout=60,
    )
    results = check_server(SyncSCIMClient(http), resource_types=["User", "Group"])
    summary = {}
    for result in results:
        summary[result.status] = summary.get(result.status, 0) + 1
    print("scim2-tester:", {status.name: count for status, count in summary.items()})
    failed = [
        f"{result.title}: {result.reason}"
        for result in results
        if result.status in (Status.ERROR, Status.CRITICAL)
    ]
    print("\n".join(failed))
    assert not failed, "\n".join(failed)
    assert summary.get(Status.SUCCESS, 0) >= 20
