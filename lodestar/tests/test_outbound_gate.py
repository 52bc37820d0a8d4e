"""The outbound gate's table (issue 20, findings 1 and 4): every URL that would reach this
machine, the private network or a cloud's metadata service is refused on every outbound
surface, when it is saved (API: 400) and when it is called (the workers), and nothing
reaches the local receivers; an allowed local receiver still gets everything.

Local receivers are real HTTP servers on 127.0.0.1 and ::1. The names `sneaky.example`
and `redirector.test` are given to a resolver override (socket.getaddrinfo is not ours);
10.0.0.1 and 169.254.169.254 are never contacted: the gate refuses them first.
"""

import json
import socket
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import CommandError, call_command

from lodestar.notify.delivery import deliver_due
from lodestar.notify.models import Notification, UnitChannel, WebhookSubscription
from lodestar.notify.rhythm import notify_run
from lodestar.okrs.services import checkin_create, key_result_create, objective_create
from lodestar.sources.models import DataSource
from lodestar.strategy.services import measure_create, strategic_objective_create

REFUSED = ("and not allowed", "may not contain", "a redirect (never followed)")


class Server(ThreadingHTTPServer):
    address_family = socket.AF_INET


class Server6(ThreadingHTTPServer):
    address_family = socket.AF_INET6


class Receiver:
    """Records every request; answers `redirect_to` with a 302 when set, else 200 and a
    small CSV a source can read."""

    def __init__(self, host: str = "127.0.0.1", redirect_to: str = ""):
        self.requests: list[tuple[str, str, bytes]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def answer(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                receiver.requests.append((self.command, self.path, body))
                if redirect_to:
                    self.send_response(302)
                    self.send_header("Location", redirect_to)
                    self.end_headers()
                    return
                self.send_response(200)
                self.end_headers()
                self.wfile.write(b"period,value\n2026-01,10\n")

            do_GET = do_POST = answer

            def log_message(self, *args):
                pass

        self.server = (Server6 if ":" in host else Server)((host, 0), Handler)
        self.port = self.server.server_port
        serve = {"poll_interval": 0.05}  # a quick shutdown
        threading.Thread(target=self.server.serve_forever, kwargs=serve, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@dataclass
class Local:
    v4: Receiver
    v6: Receiver
    redirector: Receiver

    @property
    def received(self) -> int:
        return len(self.v4.requests) + len(self.v6.requests)


@pytest.fixture
def local(monkeypatch, settings):
    v4, v6 = Receiver(), Receiver("::1")
    redirector = Receiver(redirect_to=f"http://127.0.0.1:{v4.port}/stolen")
    names = {"sneaky.example": "127.0.0.1", "redirector.test": "127.0.0.1"}
    real = socket.getaddrinfo

    def resolver(host, port, *args, **kwargs):
        return real(names.get(host, host), port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolver)
    settings.OUTBOUND_ALLOWED_HOSTS = ["redirector.test"]  # only the redirecting server
    settings.OUTBOUND_ALLOWED_NETWORKS = []
    yield Local(v4, v6, redirector)
    for server in (v4, v6, redirector):
        server.close()


CASES = {
    "loopback": "http://127.0.0.1:{v4}/x",
    "ipv6 loopback": "http://[::1]:{v6}/x",
    "hex loopback": "http://0x7f.1:{v4}/x",
    "localhost with the root dot": "http://localhost.:{v4}/x",
    "private network": "http://10.0.0.1/x",
    "cloud metadata": "http://169.254.169.254/latest/meta-data/",
    "backslash before @": "http://127.0.0.1:{v4}\\@example.com/x",
    "user info before @": "http://127.0.0.1:{v4}@example.com/x",
    "a name resolving to loopback": "http://sneaky.example:{v4}/x",
    "a redirect to loopback": "http://redirector.test:{redirector}/x",
}
ALLOWED_AT_SAVE = {"a redirect to loopback"}  # an allowed host; its answer is refused


def url_of(case: str, local: Local) -> str:
    ports = {"v4": local.v4.port, "v6": local.v6.port, "redirector": local.redirector.port}
    return CASES[case].format(**ports)


def send(client, method: str, path: str, body=None):
    return getattr(client, method)(f"/api/v1/{path}", body, content_type="application/json")


def refused(text: str) -> bool:
    return any(words in text for words in REFUSED)


@pytest.fixture
def measure(world):
    objective = strategic_objective_create(
        acting=None,
        scorecard=world.scorecard,
        perspective=world.perspective("Financial"),
        name="Grow revenue",
    )
    return measure_create(acting=None, objective=objective, name="Revenue", baseline=0, target=100)


@pytest.fixture
def moved(world):
    """A public key result of Sales checked in this week: a unit digest has a line."""
    objective = objective_create(acting=None, cycle=world.cycle, title="Sell", unit=world.sales)
    key_result = key_result_create(
        acting=None, objective=objective, title="Deals", owner=world.member, target=10
    )
    checkin_create(acting=None, key_result=key_result, value=4, confidence=7)
    return key_result


def source_hosts(settings) -> None:
    settings.SOURCE_ALLOWED_HOSTS = [
        "127.0.0.1", "::1", "0x7f.1", "localhost", "10.0.0.1", "169.254.169.254",
        "sneaky.example", "redirector.test", "example.com",
    ]  # fmt: skip


# Saving: the API refuses the URL, and nothing is stored ---------------------------------
@pytest.mark.parametrize("case", CASES)
def test_a_source_url_is_checked_when_saved(world, as_, local, measure, settings, case):
    source_hosts(settings)
    body = {"measure": measure.pk, "name": "S", "kind": "http", "format": "csv"}
    response = send(as_("strat"), "post", "sources/", {**body, "url": url_of(case, local)})
    if case in ALLOWED_AT_SAVE:
        assert response.status_code == 201
        return
    assert response.status_code == 400, response.json()
    assert refused(response.json()["errors"]["url"][0])
    assert not DataSource.objects.exists()


@pytest.mark.parametrize("case", CASES)
def test_a_slack_url_of_a_member_is_checked_when_saved(world, as_, local, case):
    body = {"channel": "slack", "webhook_url": url_of(case, local)}
    response = send(as_("member"), "put", "me/notifications", body)
    if case in ALLOWED_AT_SAVE:
        assert response.status_code == 200
        return
    assert response.status_code in (400, 422), response.json()
    assert response.status_code == 422 or refused(response.json()["errors"]["webhook_url"][0])
    assert as_("member").get("/api/v1/me/notifications").json()["webhook_url"] == ""


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("field", ["slack_url", "teams_url"])
def test_a_units_slack_and_teams_urls_are_checked_when_saved(world, as_, local, case, field):
    response = send(
        as_("lead"), "put", f"units/{world.sales.pk}/channels", {field: url_of(case, local)}
    )
    if case in ALLOWED_AT_SAVE:
        assert response.status_code == 200
        return
    assert response.status_code in (400, 422), response.json()
    assert response.status_code == 422 or refused(response.json()["errors"][field][0])
    assert not UnitChannel.objects.exists()


@pytest.mark.parametrize("case", CASES)
def test_a_webhook_subscription_url_is_checked_when_saved(world, as_, local, case):
    body = {"name": "CRM", "url": url_of(case, local), "events": ["checkin.created"]}
    response = send(as_("admin"), "post", "webhooks/", body)
    if case in ALLOWED_AT_SAVE:
        assert response.status_code == 201
        return
    assert response.status_code in (400, 422), response.json()
    assert response.status_code == 422 or refused(response.json()["errors"]["url"][0])
    assert not WebhookSubscription.objects.exists()


# Calling: a URL stored before (or resolving elsewhere since) is refused by the worker ----
@pytest.mark.parametrize("case", CASES)
def test_a_source_sync_refuses_the_url_and_shows_no_body(
    world, as_, local, measure, settings, case
):
    source_hosts(settings)
    settings.OUTBOUND_ALLOWED_HOSTS = ["127.0.0.1", "redirector.test"]
    body = {"measure": measure.pk, "name": "S", "kind": "http", "format": "csv"}
    created = send(
        as_("strat"), "post", "sources/", {**body, "url": f"http://127.0.0.1:{local.v4.port}/ok"}
    )
    settings.OUTBOUND_ALLOWED_HOSTS = ["redirector.test"]
    DataSource.objects.update(url=url_of(case, local))  # saved before the gate, or DNS moved
    requests_before = local.received
    with pytest.raises(CommandError):
        call_command("sync")
    shown = as_("strat").get(f"/api/v1/sources/{created.json()['id']}").json()
    assert refused(shown["last_error"]), shown["last_error"]
    assert local.received == requests_before
    assert "period,value" not in shown["last_error"]


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("field", ["slack_url", "teams_url"])
def test_slack_and_teams_deliveries_refuse_the_url(world, local, moved, case, field):
    UnitChannel.objects.create(unit=world.sales, **{field: url_of(case, local)})
    notify_run()
    [digest] = Notification.objects.filter(recipient=f"unit:{world.sales.pk}")
    assert digest.status == Notification.Status.PENDING  # retried later, refused each time
    assert refused(digest.last_error), digest.last_error
    assert local.received == 0


@pytest.mark.parametrize("case", CASES)
def test_webhook_deliveries_refuse_the_url(world, as_, local, moved, case):
    subscription = WebhookSubscription.objects.create(
        name="CRM", url=url_of(case, local), events=["checkin.created"], secret="s"
    )
    checkin_create(acting=None, key_result=moved, value=5, confidence=7)
    assert deliver_due() == 1
    log = as_("admin").get(f"/api/v1/webhooks/{subscription.pk}/deliveries").json()["items"]
    [attempt] = log[0]["log"]
    assert refused(attempt["error"]), attempt["error"]
    assert local.received == 0


# Allowed: an operator's local receiver gets everything, end to end ----------------------
def test_a_local_receiver_allowed_by_its_range_gets_every_kind_of_call(
    world, as_, local, measure, moved, settings
):
    settings.OUTBOUND_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    settings.SOURCE_ALLOWED_HOSTS = ["127.0.0.1"]
    base = f"http://127.0.0.1:{local.v4.port}"
    body = {"measure": measure.pk, "name": "S", "kind": "http", "format": "csv"}
    assert (
        send(as_("strat"), "post", "sources/", {**body, "url": f"{base}/source"}).status_code == 201
    )
    call_command("sync")
    slack = send(
        as_("lead"),
        "put",
        f"units/{world.sales.pk}/channels",
        {"slack_url": f"{base}/slack", "teams_url": f"{base}/teams"},
    )
    assert slack.status_code == 200
    webhook = {"name": "CRM", "url": f"{base}/hook", "events": ["checkin.created"]}
    assert send(as_("admin"), "post", "webhooks/", webhook).status_code == 201
    checkin_create(acting=None, key_result=moved, value=5, confidence=7)
    assert deliver_due() == 1
    notify_run()
    paths = sorted(path for _, path, _ in local.v4.requests)
    assert paths == ["/hook", "/slack", "/source", "/teams"]
    assert DataSource.objects.get().last_error == ""
    posted = {path: json.loads(body) for _, path, body in local.v4.requests if body}
    assert "blocks" in posted["/slack"] and posted["/teams"]["type"] == "message"
