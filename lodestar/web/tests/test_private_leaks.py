"""Private means private, in numbers too: change only private data, and every page and
endpoint an outsider can reach answers exactly as before.

On the demo, Lena's personal objective is private: Lena, her lead, her managers and the
admin see it. The outsiders below crawl every page they can reach from the dashboard and
read every API list and object; then private data changes (check-ins on Lena's key
results, a new private objective with a key result serving the strategy), and they read
it all again.
"""

import hashlib
import json
import re
from collections import deque
from datetime import datetime, time

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from lodestar.conftest import DEMO_TODAY, token_client
from lodestar.insights.alert_groups import grouped_alerts_for
from lodestar.insights.models import AlertSnooze
from lodestar.insights.snoozes import alert_snooze
from lodestar.okrs.models import Objective
from lodestar.okrs.selectors import active_cycle
from lodestar.okrs.services import checkin_create, key_result_create, objective_create
from lodestar.org.models import Person
from lodestar.strategy.models import StrategicObjective

pytestmark = pytest.mark.usefixtures("demo_org")

OUTSIDERS = ["board", "strategy", "dev.one"]  # a viewer, the strategy office, a member
PAGE_LIMIT = 150
SKIP = re.compile(r"/(logout|admin|static|api)/|/delete$|/new$|/edit$|\.svg$|\.xlsx$|\.csv$|\.pdf$")
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


@pytest.fixture(autouse=True)
def frozen():
    noon = timezone.make_aware(datetime.combine(DEMO_TODAY, time(12)))
    with time_machine.travel(noon, tick=False):
        yield


def crawl(client: Client) -> dict[str, str]:
    """Every page reachable from the dashboard by links, with its body."""
    seen: dict[str, str] = {}
    queue = deque(["/"])
    while queue and len(seen) < PAGE_LIMIT:
        url = queue.popleft()
        if url in seen:
            continue
        response = client.get(url)
        assert response.status_code < 500, url
        body = page_body(response)
        seen[url] = body
        for link in re.findall(r'href="(/[^"#]*)"', body if "<html" in body else ""):
            link = link.replace("&amp;", "&")
            if not SKIP.search(link.split("?")[0]) and link not in seen:
                queue.append(link)
    return seen


def page_body(response) -> str:
    """A page's text without its CSRF token; a download (a workbook, a PDF) by its bytes."""
    status = f"<status {response.status_code}>"
    if response.status_code != 200:
        return status
    if not response["Content-Type"].startswith("text/"):
        return hashlib.sha256(response.content).hexdigest() + status
    return CSRF.sub("", response.content.decode()) + status


def read_api(client: Client) -> dict[str, object]:
    """Every GET operation: lists in full pages, and the first objects of each list."""
    spec = client.get("/api/v1/openapi.json").json()
    answers: dict[str, object] = {}
    for path, operations in spec["paths"].items():
        if "get" not in operations or "openapi" in path:
            continue
        url = path
        if "{" not in path:
            answers[url] = as_json(client.get(url, {"limit": 500}))
    for url, body in list(answers.items()):
        body = body["body"]
        items = body.get("items") if isinstance(body, dict) else None
        for item in (items or [])[:3]:
            for path in spec["paths"]:
                if path.startswith(url) and path.endswith("{id}"):
                    read = path.replace("{id}", str(item["id"]))
                    answers[read] = as_json(client.get(read))
    return answers


def as_json(response) -> object:
    assert response.status_code < 500, response.request["PATH_INFO"]
    if response["Content-Type"].startswith("application/json"):
        return {"status": response.status_code, "body": response.json()}
    return {"status": response.status_code, "body": response.content.decode()}


def change_private_data() -> None:
    lena = Person.objects.get(username="csm.one")
    marcus = Person.objects.get(username="csm.two")
    secret = Objective.objects.get(owner=lena, visibility="private")
    # Lena and her lead snooze every alert group they see about her private objective.
    private_urls = {f"/key-results/{pk}/" for pk in secret.key_results.values_list("pk", flat=True)}
    private_urls.add(f"/objectives/{secret.pk}/")
    for reader in (lena, Person.objects.get(username="cs.lead")):
        for group in grouped_alerts_for(reader, unit=None, now=timezone.now()).groups:
            if any(member.url in private_urls for member in group.members):
                alert_snooze(acting=reader, group=group.key, length="change")
    for holding in secret.holdings.select_related("key_result"):
        key_result = holding.key_result
        checkin_create(
            acting=lena,
            key_result=key_result,
            value=key_result.target,
            confidence=10,
            note="Done, quietly.",
        )
    served = StrategicObjective.objects.filter(okr_objectives__isnull=False).first()
    private = objective_create(
        acting=marcus,
        cycle=active_cycle(),
        title="Interview for the team lead role",
        owner=marcus,
        visibility="private",
        contributes_to=[served],
    )
    hidden = key_result_create(
        acting=marcus, objective=private, title="Prepare five stories", owner=marcus, target=5
    )
    checkin_create(acting=marcus, key_result=hidden, value=5, confidence=9)
    assert AlertSnooze.objects.filter(person=lena).exists()  # the snoozes were made


def snapshot(username: str) -> tuple[dict, dict]:
    person = Person.objects.get(username=username)
    page = Client()
    page.force_login(person)
    return crawl(page), read_api(token_client(person))


@pytest.mark.parametrize("username", OUTSIDERS)
def test_changing_private_data_changes_nothing_an_outsider_reads(db, username):
    pages_before, api_before = snapshot(username)
    assert len(pages_before) > 40 and len(api_before) > 40
    change_private_data()
    pages_after = {url: body for url, body in crawl_again(username, pages_before).items()}
    changed_pages = [url for url in pages_before if pages_after[url] != pages_before[url]]
    assert changed_pages == []
    _, api_after = snapshot_api(username)
    changed_api = [
        url
        for url in api_before
        if json.dumps(api_after.get(url), sort_keys=True)
        != json.dumps(api_before[url], sort_keys=True)
    ]
    assert changed_api == []


def crawl_again(username: str, before: dict[str, str]) -> dict[str, str]:
    client = Client()
    client.force_login(Person.objects.get(username=username))
    again = {}
    for url in before:
        again[url] = page_body(client.get(url))
    return again


def snapshot_api(username: str) -> tuple[None, dict]:
    return None, read_api(token_client(Person.objects.get(username=username)))
