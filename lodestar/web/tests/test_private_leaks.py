"""Private means private, in numbers too: change only private data, and every page and
endpoint an outsider can reach answers exactly as before.

On the demo, Lena's personal objective is private: Lena, her lead, her managers and the
admin see it. The outsiders below crawl every page they can reach from the dashboard and
the surfaces around the data (notification settings, data sources with their sync log and
errors, the exports, the OKR tree's branches of Lena's units and those above, which count
objectives), read every API list and object (a unit's channels, a source's runs
too), and ask the import preview about Lena's objective and key result by their keys (and
a Viva Goals export about her by name), open their own one-click check-in links (one to
Lena's private key result) and ask `/lodestar` in Slack; then
private data changes (check-ins on Lena's key results, a new private objective with a key
result serving the strategy), and they read it all again. Backups, which hold everything,
are served by no page and no endpoint, and are written for their owner's eyes only.
"""

import csv
import hashlib
import io
import json
import re
import stat
from collections import deque
from datetime import date, datetime, time

import openpyxl
import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import get_resolver, reverse
from django.utils import timezone
from django_otp_webauthn.models import WebAuthnCredential

from lodestar.activity.services import follow_set
from lodestar.chat.links import checkin_link
from lodestar.chat.models import SlackIdentity
from lodestar.chat.tests.test_slack import SECRET as SLACK_SECRET
from lodestar.chat.tests.test_slack import signature
from lodestar.conftest import DEMO_TODAY, token_client
from lodestar.conversation.models import CommentNotice
from lodestar.conversation.services import comment_post
from lodestar.exchange.exporter import export_rows
from lodestar.exchange.models import ImportKey
from lodestar.exchange.views import XLSX
from lodestar.insights.alert_groups import grouped_alerts_for
from lodestar.insights.models import AlertSnooze
from lodestar.insights.snoozes import alert_snooze
from lodestar.jobs.models import ImportJob
from lodestar.okrs.models import Objective
from lodestar.okrs.selectors import active_cycle
from lodestar.okrs.services import checkin_create, key_result_create, objective_create
from lodestar.org.models import Membership, Person, Unit
from lodestar.org.selectors import ancestor_ids, unit_parents
from lodestar.sources.services import data_source_create
from lodestar.sources.sync import push_rows
from lodestar.strategy.models import Measure, StrategicObjective
from lodestar.strategy.services import (
    measure_create,
    measure_value_record,
    scorecard_create,
    strategic_objective_create,
)

pytestmark = pytest.mark.usefixtures("demo_org")

OUTSIDERS = ["board", "strategy", "dev.one"]  # a viewer, the strategy office, a member
PAGE_LIMIT = 150
# /settings/tokens/ lists the tokens this test itself makes to read the API, and
# /account/sessions/ the sessions it signs in with (each crawl signs in anew): both are
# one's own, read by `test_ones_sessions_and_sign_ins_show_nobody_elses` below.
SKIP = re.compile(
    r"/(logout|admin|static|api)/|/settings/tokens/|/account/sessions/|/delete$|/new$|/edit$"
    r"|\.svg$|\.xlsx$|\.csv$|\.pdf$"
)
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')
# An import preview's confirmation token is random by design.
UPLOAD_TOKEN = re.compile(r'name="token" value="[^"]*"')
# Reached by no link from the dashboard for some readers: the surfaces around the data.
SURFACES = [
    "/",
    "/settings/notifications/",
    "/settings/sources/",
    "/export.xlsx",
    "/export.zip",
    "/people/",
    "/people/?active=all",
    "/account/two-factor/",
]


@pytest.fixture(autouse=True)
def frozen():
    noon = timezone.make_aware(datetime.combine(DEMO_TODAY, time(12)))
    with time_machine.travel(noon, tick=False):
        yield


def tree_branches() -> list[str]:
    """The OKR tree's branch of each of Lena's units and of the units above them: where
    her private objective would stand, and be counted."""
    units = set(
        Membership.objects.filter(person__username="csm.one").values_list("unit", flat=True)
    )
    parents = unit_parents()
    for unit_id in list(units):
        units.update(ancestor_ids(unit_id, parents))
    return [f"/okrs/unit/{unit_id}/?cycle={active_cycle().pk}" for unit_id in sorted(units)]


def activity_feeds() -> list[str]:
    """The feeds where Lena's private check-ins and comments would show: one's own, the
    company's, and those of her units and the units above them."""
    units = [re.search(r"/okrs/unit/(\d+)/", branch).group(1) for branch in tree_branches()]
    return ["/activity/", "/activity/company/", *(f"/units/{u}/activity/" for u in units)]


def follow_lenas_units(username: str) -> None:
    """The outsider follows every unit Lena's private objective could be shown under."""
    person = Person.objects.get(username=username)
    for unit in Unit.objects.filter(pk__in=[url.split("/")[2] for url in activity_feeds()[2:]]):
        follow_set(acting=person, target=unit, following=True)


def crawl(client: Client) -> dict[str, str]:
    """Every page reachable from the dashboard and the surfaces by links, with its body."""
    seen: dict[str, str] = {}
    queue = deque(SURFACES + tree_branches() + activity_feeds())
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
    if response["Content-Type"] == XLSX:  # its cells: the file also notes when it was made
        book = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
        cells = [[list(row) for row in sheet.iter_rows(values_only=True)] for sheet in book]
        return json.dumps(cells, default=str) + status
    if not response["Content-Type"].startswith("text/"):
        return hashlib.sha256(response.content).hexdigest() + status
    return UPLOAD_TOKEN.sub("", CSRF.sub("", response.content.decode())) + status


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
                # An object, and what hangs off it (a unit's channels, a source's runs).
                readable = "get" in spec["paths"][path] and path.count("{") == 1
                if readable and path.startswith(url) and "{id}" in path:
                    read = path.replace("{id}", str(item["id"]))
                    answers[read] = as_json(client.get(read))
    return answers


def lenas_keys() -> dict[str, str]:
    """The import keys of Lena's private objective and its first key result: guessable
    (`objectives-<id>`, given by an admin's export)."""
    export_rows(acting=None)
    secret = Objective.objects.get(owner__username="csm.one", visibility="private")
    key_result = secret.key_results.order_by("pk").first()
    keys = ImportKey.objects.filter
    return {
        "objective": keys(model="okrs.objective", object_id=secret.pk).get().key,
        "cycle": keys(model="okrs.cycle", object_id=secret.cycle_id).get().key,
        "key_result": keys(model="okrs.keyresult", object_id=key_result.pk).get().key,
        "title": secret.title,
    }


def preview_answers(client: Client, keys: dict[str, str]) -> list[str]:
    """The import preview's answers to rows about Lena's objective and key result."""
    uploads = {
        "objectives.csv": "key,cycle,title,owner,visibility\n"
        f"{keys['objective']},{keys['cycle']},{keys['title']},csm.one,private\n",
        "checkins.csv": "key_result,at,value,confidence\n"
        f"{keys['key_result']},{DEMO_TODAY.isoformat()}T09:00:00,1,5\n",
    }
    answers = []
    for name, text in uploads.items():
        upload = SimpleUploadedFile(name, text.encode())
        answers.append(page_body(client.post("/import/", {"file": upload})))
    return [*answers, mapping_answer(client, keys), viva_answer(client, keys)]


def mapping_answer(client: Client, keys: dict[str, str]) -> str:
    """The mapping page's dry run of a sheet naming Lena's objective by its title and her
    key results' values (the preview reads stored objectives and key results)."""
    text = f"Objective,Key result,Owner,Target,Current\n{keys['title']},Stories,csm.one,5,5\n"
    upload = SimpleUploadedFile("okrs.csv", text.encode())
    read = client.post("/import/map/", {"file": upload})
    token = re.search(r'name="token" value="([^"]+)"', read.content.decode())[1]
    fields = {
        f"column-{i}": f for i, f in enumerate(["parent", "title", "owner", "target", "current"])
    }
    cycle = active_cycle().name
    answer = client.post(
        "/import/map/preview/",
        {"token": token, "filename": "okrs.csv", "cycle": cycle, "key_prefix": "lena", **fields},
    )
    return page_body(read) + page_body(answer)


def viva_answer(client: Client, keys: dict[str, str]) -> str:
    """The import page's preview of a Viva Goals export naming Lena by her display name,
    in her objective's cycle, with her objective's title (the preview reads stored
    people, units and cycles by name)."""
    lena = Person.objects.get(username="csm.one")
    cycle = Objective.objects.get(owner=lena, visibility="private").cycle
    period = [cycle.name, cycle.start.isoformat(), cycle.end.isoformat()]
    rows = [
        ["Id", "Title", "Object Type", "Aligned To", "Owner", "Period", "Start Date", "End Date"],
        ["1", keys["title"], "Objective", "", lena.get_full_name(), *period],
        ["2", "Stories", "Key result", f"{keys['title']}(weight: 100%, Id: 1)", "", *period],
    ]
    text = io.StringIO()
    csv.writer(text).writerows(rows)
    upload = SimpleUploadedFile("explorer.csv", text.getvalue().encode())
    return page_body(client.post("/import/", {"file": upload}))


def lenas_import_status(keys: dict[str, str]) -> str:
    """The status page of an import Lena confirmed, naming her private objective."""
    job = ImportJob.objects.create(
        person=Person.objects.get(username="csm.one"),
        filename="mine.xlsx",
        outcome="refused",
        problems=[{"sheet": "objectives", "row": 2, "column": "title", "message": keys["title"]}],
    )
    return reverse("exchange-import-job", args=[job.pk])


def chat_links(username: str) -> list[str]:
    """One-click check-in links of the outsider's: to Lena's private key result, and to
    a key result of their own when they have one; and their Slack user, linked."""
    person = Person.objects.get(username=username)
    secret = Objective.objects.get(owner__username="csm.one", visibility="private")
    links = [checkin_link(person, secret.key_results.order_by("pk").first())]
    own = person.key_results.order_by("pk").first()
    if own is not None:
        links.append(checkin_link(person, own))
    SlackIdentity.objects.create(team_id="T1", user_id="U1", person=person)
    return links


def chat_answers(client: Client, links: list[str], stamp: int) -> list[str]:
    """The links' pages and `/lodestar my key results` in Slack (signed as Slack signs it;
    `stamp` seconds earlier, so that the second ask is no replay of the first)."""
    pages = [page_body(client.get(link)) for link in links]
    body = b"team_id=T1&user_id=U1&command=%2Flodestar&text=my+key+results"
    at = str(int(timezone.now().timestamp()) - stamp)
    headers = {"X-Slack-Request-Timestamp": at, "X-Slack-Signature": signature(body, at)}
    with override_settings(SLACK_SIGNING_SECRET=SLACK_SECRET):
        slack = Client().post(
            reverse("chat-slack-commands"),
            body,
            content_type="application/x-www-form-urlencoded",
            headers=headers,
        )
    return [*pages, page_body(slack), slack.content.decode()]


def add_a_source() -> None:
    """A measure that fills itself, with a sync log holding a refused row."""
    measure = Measure.objects.order_by("pk").first()
    source = data_source_create(acting=None, measure=measure, name="Pushed", kind="push")
    push_rows(
        acting=None,
        source=source,
        rows=[{"period": "2026-09-01", "value": 3}, {"period": "not a month", "value": "x"}],
    )


def as_json(response) -> object:
    assert response.status_code < 500, response.request["PATH_INFO"]
    if response["Content-Type"].startswith("application/json"):
        return {"status": response.status_code, "body": response.json()}
    return {"status": response.status_code, "body": response.content.decode()}


def change_private_data() -> None:
    lena = Person.objects.get(username="csm.one")
    # Lena keeps a passkey (its name is hers alone, as her second factor is).
    WebAuthnCredential.objects.create(
        user=lena, name="Lena's laptop", credential_id=b"lena", public_key=b"key"
    )
    marcus = Person.objects.get(username="csm.two")
    secret = Objective.objects.get(owner=lena, visibility="private")
    # Lena and her lead snooze every alert group they see about her private objective.
    private_urls = {f"/key-results/{pk}/" for pk in secret.key_results.values_list("pk", flat=True)}
    private_urls.add(f"/objectives/{secret.pk}/")
    for reader in (lena, Person.objects.get(username="cs.lead")):
        for group in grouped_alerts_for(reader, unit=None, now=timezone.now()).groups:
            if any(member.url in private_urls for member in group.members):
                alert_snooze(acting=reader, group=group.key, length="change")
    # Lena talks about it on the objective and a key result, naming the outsiders too.
    comment_post(acting=lena, target=secret, body="@board @strategy @dev.one: **done**.")
    for holding in secret.holdings.select_related("key_result"):
        key_result = holding.key_result
        comment_post(acting=lena, target=key_result, body="Quietly, @dev.one.")
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
    add_a_source()
    keys = lenas_keys()
    outsider = Client()
    outsider.force_login(Person.objects.get(username=username))
    follow_lenas_units(username)
    previews_before = preview_answers(outsider, keys)
    links = chat_links(username)
    chat_before = chat_answers(outsider, links, stamp=0)
    assert chat_before[0] == "<status 404>" and chat_before[-2].endswith("<status 200>")
    lenas_import = lenas_import_status(keys)
    assert outsider.get(lenas_import).status_code == 404
    pages_before, api_before = snapshot(username)
    assert len(pages_before) > 40 and len(api_before) > 40
    assert all(url in pages_before for url in SURFACES + tree_branches() + activity_feeds())
    assert any("/channels" in url for url in api_before)
    assert any("/runs" in url for url in api_before) == (username == "strategy")
    change_private_data()
    assert preview_answers(outsider, keys) == previews_before
    assert chat_answers(outsider, links, stamp=1) == chat_before
    assert outsider.get(lenas_import).status_code == 404
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
    # Lena's comments: told to no outsider, and their thread answers 404 on every surface.
    assert not CommentNotice.objects.filter(person__username=username).exists()
    secret = Objective.objects.get(owner__username="csm.one", visibility="private")
    api = token_client(Person.objects.get(username=username))
    assert api.get(f"/api/v1/objectives/{secret.pk}/comments").status_code == 404
    for path in ("comments", "comments/people"):
        assert outsider.get(f"/objectives/{secret.pk}/{path}").status_code in (404, 405)


def draft_a_company_scorecard() -> None:
    """The CEO drafts next strategy for the company, covering today (it would be the
    company's scorecard if drafts counted), with an objective, a measure and a value."""
    ceo = Person.objects.get(username="ceo")
    company = Unit.objects.get(parent__isnull=True)
    card = scorecard_create(
        acting=ceo,
        unit=company,
        name="Strategy refresh (draft)",
        period_start=DEMO_TODAY.replace(day=1),
        period_end=date(2028, 12, 31),
        draft=True,
    )
    goal = strategic_objective_create(
        acting=ceo,
        scorecard=card,
        perspective=card.perspectives.get(name="Customer"),
        name="Win the enterprise segment",
        code="D1",
    )
    measure = measure_create(
        acting=ceo, objective=goal, name="Enterprise logos", baseline=3, target=12
    )
    measure_value_record(acting=ceo, measure=measure, period=DEMO_TODAY, actual=4)


@pytest.mark.parametrize("username", ["board", "dev.one"])  # a viewer, a member
def test_a_draft_scorecard_changes_nothing_others_read(db, username):
    """A draft is its maker's and the strategy office's (the strategy office is no
    outsider here): to everyone else every page and endpoint answers as before."""
    pages_before, api_before = snapshot(username)
    draft_a_company_scorecard()
    pages_after = crawl_again(username, pages_before)
    assert [url for url in pages_before if pages_after[url] != pages_before[url]] == []
    _, api_after = snapshot_api(username)
    changed_api = [
        url
        for url in api_before
        if json.dumps(api_after.get(url), sort_keys=True)
        != json.dumps(api_before[url], sort_keys=True)
    ]
    assert changed_api == []
    maker = Client()
    maker.force_login(Person.objects.get(username="ceo"))
    assert "Strategy refresh" in maker.get("/scorecards/").content.decode()


def crawl_again(username: str, before: dict[str, str]) -> dict[str, str]:
    client = Client()
    client.force_login(Person.objects.get(username=username))
    again = {}
    for url in before:
        again[url] = page_body(client.get(url))
    return again


def snapshot_api(username: str) -> tuple[None, dict]:
    return None, read_api(token_client(Person.objects.get(username=username)))


def routes(patterns, prefix: str = ""):
    """Every URL pattern, those of included URL lists too."""
    for pattern in patterns:
        if hasattr(pattern, "url_patterns"):
            yield from routes(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern)


def test_a_backup_is_served_by_no_surface_and_written_for_its_owner_only(db, tmp_path):
    assert not any("backup" in route for route in routes(get_resolver().url_patterns))
    spec = Client()
    spec.force_login(Person.objects.get(username="admin"))
    assert not any("backup" in path for path in spec.get("/api/v1/openapi.json").json()["paths"])
    path = tmp_path / "lodestar.json"
    call_command("backup", str(path), stdout=io.StringIO())
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_an_idempotency_key_answers_only_its_sender(db):
    """The API keeps a POST's response under its Idempotency-Key for a retry: an outsider
    sending the same key and body to the same path gets an answer of their own, never
    Lena's check-in on her private key result."""
    lena = Person.objects.get(username="csm.one")
    secret = Objective.objects.get(owner=lena, visibility="private")
    key_result = secret.holdings.first().key_result
    body = {"key_result": key_result.pk, "value": key_result.target, "confidence": 9}
    body["note"] = "Done, quietly."
    headers = {"Idempotency-Key": "quietly"}
    url = "/api/v1/checkins/"
    mine = token_client(lena).post(url, body, content_type="application/json", headers=headers)
    assert mine.status_code == 201
    for username in OUTSIDERS:
        outsider = token_client(Person.objects.get(username=username))
        answer = outsider.post(url, body, content_type="application/json", headers=headers)
        assert answer.status_code == 400, username
        assert answer.json()["errors"] == {
            "key_result": [f"No key result with id {key_result.pk}."]
        }
        assert "quietly" not in answer.content.decode()


@pytest.mark.parametrize("username", OUTSIDERS)
def test_ones_sessions_and_sign_ins_show_nobody_elses(db, username):
    """Lena signs in from two browsers, fails once, ends one: an outsider's own sessions
    page reads as before, and every page they reach names none of her addresses."""
    outsider = Client(REMOTE_ADDR="192.0.2.1")
    outsider.force_login(Person.objects.get(username=username))
    before = page_body(outsider.get("/account/sessions/"))
    lena = Person.objects.get(username="csm.one")
    lena.set_password("secret-of-lena")
    lena.save(update_fields=["password"])
    browsers = [Client(REMOTE_ADDR=f"198.51.100.{n}") for n in (21, 22)]
    browsers[0].post("/login/", {"username": "csm.one", "password": "wrong"})
    for browser in browsers:
        assert browser.post("/login/", {"username": "csm.one", "password": "secret-of-lena"})[
            "Location"
        ]
    browsers[0].post("/account/sessions/end-others")
    assert page_body(outsider.get("/account/sessions/")) == before
    for url, body in crawl(outsider).items():
        assert "198.51.100." not in body, url
