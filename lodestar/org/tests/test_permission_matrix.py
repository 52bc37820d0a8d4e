"""The permission matrix: persona × action × entity × surface.

For every row of `ROLE_TABLE` (lodestar/org/permissions.py) and every persona, the action
is really done through the page (the form a person would post) and through the API, each
in a savepoint rolled back afterwards. Both surfaces must give the same verdict, and it
must be the table's. Where only one surface offers the action, that one is checked.
"""

import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from html.parser import HTMLParser
from urllib.parse import urlencode

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.http import HttpResponse
from django.test import Client, override_settings
from django.urls import reverse
from django_otp_webauthn.models import WebAuthnCredential

from lodestar.chat.links import checkin_link
from lodestar.chat.models import SlackIdentity
from lodestar.chat.slack_link import SlackUser, slack_token
from lodestar.chat.tests.test_slack import SECRET as SLACK_SECRET
from lodestar.chat.tests.test_slack import signature
from lodestar.conftest import token_client
from lodestar.conversation.models import Comment
from lodestar.insights.alert_groups import group_alerts
from lodestar.insights.alerts import alerts_for
from lodestar.insights.snoozes import alert_snooze
from lodestar.jobs.models import ImportJob
from lodestar.okrs.services import (
    checkin_create,
    cycle_create,
    key_result_create,
    objective_create,
)
from lodestar.org import permissions as p
from lodestar.org.models import Person, Unit
from lodestar.org.services import membership_set, person_create, person_update, unit_create
from lodestar.sources.services import data_source_create
from lodestar.strategy.services import (
    initiative_create,
    measure_create,
    measure_value_record,
    scorecard_create,
    strategic_objective_create,
)
from lodestar.web.tests.soft_passkey import SoftPasskey


@dataclass
class Things:
    scorecard: object
    strategic: object
    other_strategic: object
    measure: object
    initiative: object
    planned_cycle: object
    objective: object
    key_result: object
    leaf_unit: object
    own_objectives: dict  # persona → a personal objective of their own
    source: object  # a push data source, on a measure of its own
    unsourced: object  # a measure without a source, for a new one
    draft: object  # a draft scorecard of the unit, made by its lead


@pytest.fixture
def personas(world):
    support_lead = person_create(acting=None, username="support_lead", password="pw")
    membership_set(acting=None, person=support_lead, unit=world.support, role="lead")
    gone = person_create(acting=None, username="gone", password="pw")
    membership_set(acting=None, person=gone, unit=world.sales)
    return {
        p.ADMIN: world.admin,
        p.STRATEGY_OFFICE: world.strat,
        p.LEAD: world.lead,
        p.LEAD_ELSEWHERE: support_lead,
        p.MEMBER: world.member,
        p.MEMBER_ELSEWHERE: world.outsider,
        p.VIEWER: world.viewer,
        p.DEACTIVATED: gone,
    }


@pytest.fixture
def api_clients(personas):
    """A token each, made while everyone is active; then one person leaves."""
    clients = {who: token_client(person) for who, person in personas.items()}
    person_update(acting=None, person=personas[p.DEACTIVATED], is_active=False)
    return clients


@pytest.fixture
def things(world, personas) -> Things:
    card = scorecard_create(
        acting=None,
        unit=world.sales,
        name="Sales 2026",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
    )
    customer = card.perspectives.get(name="Customer")
    strategic = strategic_objective_create(
        acting=None, scorecard=card, perspective=customer, name="Win deals", code="S1"
    )
    other = strategic_objective_create(
        acting=None, scorecard=card, perspective=customer, name="Keep customers", code="S2"
    )
    measure = measure_create(
        acting=None,
        objective=strategic,
        name="Win rate",
        baseline=20,
        target=40,
        owner=world.member,
    )
    measure_value_record(acting=None, measure=measure, period=date(2026, 10, 1), actual=25)
    initiative = initiative_create(
        acting=None, name="Sales academy", strategic_objectives=[strategic]
    )
    planned = cycle_create(
        acting=None, name="Q1 2027", start=date(2027, 1, 1), end=date(2027, 3, 31)
    )
    objective = objective_create(
        acting=None, cycle=world.cycle, title="Sell more", unit=world.sales, owner=world.lead
    )
    key_result = key_result_create(
        acting=None, objective=objective, title="Deals", owner=world.member, target=10
    )
    checkin_create(acting=None, key_result=key_result, value=2, confidence=6)
    own = {
        name: objective_create(acting=None, cycle=world.cycle, title=f"Mine ({name})", owner=person)
        for name, person in personas.items()
    }
    leaf = unit_create(acting=None, name="Leaf", parent=world.sales)
    pushed = measure_create(acting=None, objective=strategic, name="Pushed", baseline=0, target=1)
    source = data_source_create(acting=None, measure=pushed, name="Pushed", kind="push")
    unsourced = measure_create(acting=None, objective=other, name="Typed", baseline=0, target=1)
    draft = scorecard_create(
        acting=world.lead,
        unit=world.sales,
        name="Sales 2027 (draft)",
        period_start=date(2027, 1, 1),
        period_end=date(2027, 12, 31),
        draft=True,
    )
    return Things(
        card,
        strategic,
        other,
        measure,
        initiative,
        planned,
        objective,
        key_result,
        leaf,
        own,
        source,
        unsourced,
        draft,
    )


# Submitting the form a person would post ---------------------------------------------
class FormFields(HTMLParser):
    """The values a browser would send for the page's main form."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self.select: str | None = None
        self.textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and name != "csrfmiddlewaretoken":
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.data.setdefault(name, []).append(attrs.get("value", "on"))
            elif kind not in ("submit", "button"):
                self.data[name] = [attrs.get("value") or ""]
        elif tag == "select" and name:
            self.select = name
            self.data.setdefault(name, [])
        elif tag == "option" and self.select and "selected" in attrs:
            self.data[self.select].append(attrs.get("value", ""))
        elif tag == "textarea" and name:
            self.textarea = name
            self.data[name] = [""]

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data):
        if self.textarea:
            self.data[self.textarea][0] += data


def submit(admin: Client, client: Client, url: str, changes: dict):
    """Post the form at `url` as `client`, filled as the admin sees it plus `changes`."""
    page = admin.get(url)
    assert page.status_code == 200, (url, page.status_code)
    fields = FormFields()
    fields.feed(page.content.decode())
    body = {name: values for name, values in fields.data.items() if values}
    body.update({name: value for name, value in changes.items()})
    return client.post(url, body)


def api(client: Client, method: str, path: str, body=None):
    return getattr(client, method)(f"/api/v1/{path}", body, content_type="application/json")


# What each row of the table means on each surface -------------------------------------
Act = Callable[[Client, Client, Things, str], object]  # (client, admin page client, t, who)


def page_get(name: str, target: Callable[[Things], object]) -> Act:
    return lambda client, admin, t, who: client.get(reverse(name, args=[target(t).pk]))


def page_form(name: str, target, changes: Callable[[Things, str], dict]) -> Act:
    def act(client, admin, t, who):
        args = [target(t, who).pk] if target else []
        return submit(admin, client, reverse(name, args=args), changes(t, who))

    return act


def page_post(name: str, target, body=lambda t, who: {}) -> Act:
    return lambda client, admin, t, who: client.post(
        reverse(name, args=[target(t).pk]), body(t, who)
    )


def api_call(method: str, path: Callable[[Things], str], body=lambda t, who: None) -> Act:
    return lambda client, admin, t, who: api(client, method, path(t), body(t, who))


def early(t: Things, who: str) -> dict:
    """Before the cycle's date a reason is needed; given always, the verdict is the right."""
    return {"reason": "The board moved the quarter."}


def ids(obj) -> int:
    return obj.pk


def sell_more_group(t: Things, who: str) -> dict:
    """The alert group of the unit objective's "too few key results", as `who` sees it
    on the dashboard (everyone who reads sees it: the objective is public)."""
    alerts = alerts_for(t.objective.owner)
    [found] = [a for a in alerts if a.kind == "too_few_key_results" and a.subject == "Sell more"]
    [group] = [g for g in group_alerts(alerts, None) if found in g.members]
    return {"group": group.key, "length": "week"}


def snoozed_first(act: Act) -> Act:
    """Unsnoozing needs a snooze of one's own: made first through the service (a
    deactivated person, who may not, simply has none)."""

    def run(client, admin, t, who):
        person = Person.objects.get(pk=t.own_objectives[who].owner_id)
        if person.is_active:
            alert_snooze(acting=person, **sell_more_group(t, who))
        return act(client, admin, t, who)

    return run


SURFACES: dict[tuple[str, str], dict[str, Act]] = {
    ("unit", "view"): {
        "page": page_get("unit", lambda t: t.leaf_unit),
        # Its branch of the OKR tree, as the tree's script fetches it.
        "tree": lambda client, admin, t, who: client.get(
            reverse("okr-unit", args=[t.leaf_unit.pk]), headers={"X-Lodestar-Fragment": "1"}
        ),
        "api": api_call("get", lambda t: f"units/{t.leaf_unit.pk}"),
    },
    ("unit", "create"): {
        "api": api_call(
            "post", lambda t: "units/", lambda t, who: {"name": "New", "parent": t.leaf_unit.pk}
        ),
    },
    ("unit", "change"): {
        "api": api_call("patch", lambda t: f"units/{t.leaf_unit.pk}", lambda t, w: {"name": "X"}),
    },
    ("unit", "delete"): {"api": api_call("delete", lambda t: f"units/{t.leaf_unit.pk}")},
    ("scorecard", "view"): {
        "page": page_get("scorecard", lambda t: t.scorecard),
        "api": api_call("get", lambda t: f"scorecards/{t.scorecard.pk}"),
    },
    ("scorecard", "create"): {
        "page": page_form(
            "scorecard-new",
            None,
            lambda t, who: {
                "unit": str(t.scorecard.unit_id),
                "name": "Sales 2027",
                "period_start": "2027-01-01",
                "period_end": "2027-12-31",
            },
        ),
        "api": api_call(
            "post",
            lambda t: "scorecards/",
            lambda t, who: {
                "unit": t.scorecard.unit_id,
                "name": "Sales 2027",
                "period_start": "2027-01-01",
                "period_end": "2027-12-31",
            },
        ),
    },
    ("scorecard", "change"): {
        "page": page_form("scorecard-edit", lambda t, w: t.scorecard, lambda t, w: {"name": "X"}),
        "api": api_call(
            "patch", lambda t: f"scorecards/{t.scorecard.pk}", lambda t, w: {"name": "X"}
        ),
    },
    ("scorecard", "delete"): {
        "page": page_post("scorecard-delete", lambda t: t.scorecard),
        "api": api_call("delete", lambda t: f"scorecards/{t.scorecard.pk}"),
    },
    ("draft scorecard", "view"): {
        "page": page_get("scorecard", lambda t: t.draft),
        "api": api_call("get", lambda t: f"scorecards/{t.draft.pk}"),
    },
    ("draft scorecard", "publish"): {
        "page": page_post("scorecard-publish", lambda t: t.draft),
        "api": api_call("post", lambda t: f"scorecards/{t.draft.pk}/publish"),
    },
    ("strategic objective", "view"): {
        "page": page_get("strategic-objective", lambda t: t.strategic),
        "api": api_call("get", lambda t: f"strategic-objectives/{t.strategic.pk}"),
    },
    ("strategic objective", "create"): {
        "page": page_form(
            "strategic-objective-new",
            lambda t, w: t.scorecard,
            lambda t, w: {"name": "Grow", "perspective": str(t.strategic.perspective_id)},
        ),
        "api": api_call(
            "post",
            lambda t: "strategic-objectives/",
            lambda t, w: {
                "scorecard": t.scorecard.pk,
                "perspective": t.strategic.perspective_id,
                "name": "Grow",
            },
        ),
    },
    ("strategic objective", "change"): {
        "page": page_form(
            "strategic-objective-edit", lambda t, w: t.strategic, lambda t, w: {"name": "X"}
        ),
        "api": api_call(
            "patch", lambda t: f"strategic-objectives/{t.strategic.pk}", lambda t, w: {"name": "X"}
        ),
    },
    ("strategic objective", "delete"): {
        "page": page_post("strategic-objective-delete", lambda t: t.other_strategic),
        "api": api_call("delete", lambda t: f"strategic-objectives/{t.other_strategic.pk}"),
    },
    ("measure", "view"): {
        "page": page_get("measure", lambda t: t.measure),
        "api": api_call("get", lambda t: f"measures/{t.measure.pk}"),
    },
    ("measure", "create"): {
        "page": page_form(
            "measure-new",
            lambda t, w: t.strategic,
            lambda t, w: {"name": "Pipeline", "baseline": "1", "target": "5", "weight": "1"},
        ),
        "api": api_call(
            "post",
            lambda t: "measures/",
            lambda t, w: {
                "objective": t.strategic.pk,
                "name": "Pipeline",
                "baseline": 1,
                "target": 5,
            },
        ),
    },
    ("measure", "change"): {
        "page": page_form("measure-edit", lambda t, w: t.measure, lambda t, w: {"target": "45"}),
        "api": api_call("patch", lambda t: f"measures/{t.measure.pk}", lambda t, w: {"target": 45}),
    },
    ("measure", "delete"): {
        "page": page_post("measure-delete", lambda t: t.measure),
        "api": api_call("delete", lambda t: f"measures/{t.measure.pk}"),
    },
    ("measure", "record a value"): {
        "page": page_form(
            "measure-value-new",
            lambda t, w: t.measure,
            lambda t, w: {"period": "2026-11-01", "actual": "30"},
        ),
        "api": api_call(
            "post",
            lambda t: "measure-values/",
            lambda t, w: {"measure": t.measure.pk, "period": "2026-11-01", "actual": 30},
        ),
    },
    ("measure", "link"): {
        # A key result of one's own objective, linked to the measure.
        "page": page_form(
            "key-result-new",
            lambda t, who: t.own_objectives[who],
            lambda t, w: {
                "title": "Linked",
                "target": "40",
                "baseline": "20",
                "linked_measure": str(t.measure.pk),
            },
        ),
        "api": api_call(
            "post",
            lambda t: "key-results/",
            lambda t, who: {
                "objective": t.own_objectives[who].pk,
                "title": "Linked",
                "baseline": 20,
                "target": 40,
                "linked_measure": t.measure.pk,
            },
        ),
    },
    ("initiative", "view"): {
        "page": page_get("initiative", lambda t: t.initiative),
        "api": api_call("get", lambda t: f"initiatives/{t.initiative.pk}"),
    },
    ("initiative", "create"): {
        "page": page_form(
            "initiative-new",
            None,
            lambda t, w: {"name": "Playbook", "strategic_objectives": [str(t.strategic.pk)]},
        ),
        "api": api_call(
            "post",
            lambda t: "initiatives/",
            lambda t, w: {"name": "Playbook", "objectives": [t.strategic.pk]},
        ),
    },
    ("initiative", "change"): {
        "page": page_form("initiative-edit", lambda t, w: t.initiative, lambda t, w: {"name": "X"}),
        "api": api_call(
            "patch", lambda t: f"initiatives/{t.initiative.pk}", lambda t, w: {"name": "X"}
        ),
    },
    ("initiative", "delete"): {
        "page": page_post("initiative-delete", lambda t: t.initiative),
        "api": api_call("delete", lambda t: f"initiatives/{t.initiative.pk}"),
    },
    ("cycle", "view"): {
        "page": page_get("cycle", lambda t: t.planned_cycle),
        "api": api_call("get", lambda t: f"cycles/{t.planned_cycle.pk}"),
    },
    ("cycle", "create"): {
        "page": page_form(
            "cycle-new",
            None,
            lambda t, w: {"name": "Q2 2027", "start": "2027-04-01", "end": "2027-06-30"},
        ),
        "api": api_call(
            "post",
            lambda t: "cycles/",
            lambda t, w: {"name": "Q2 2027", "start": "2027-04-01", "end": "2027-06-30"},
        ),
    },
    ("cycle", "change"): {
        "page": page_form("cycle-edit", lambda t, w: t.planned_cycle, lambda t, w: {"name": "X"}),
        "api": api_call(
            "patch", lambda t: f"cycles/{t.planned_cycle.pk}", lambda t, w: {"name": "X"}
        ),
    },
    ("cycle", "activate"): {
        "page": page_post("cycle-activate", lambda t: t.planned_cycle, early),
        "api": api_call("post", lambda t: f"cycles/{t.planned_cycle.pk}/activate", early),
    },
    ("cycle", "close"): {
        "page": page_post("cycle-close", lambda t: t.objective.cycle, early),
        "api": api_call("post", lambda t: f"cycles/{t.objective.cycle_id}/close", early),
    },
    ("cycle", "comment on the review"): {
        "page": lambda client, admin, t, who: client.post(
            reverse("review-comment", args=[t.objective.cycle_id, t.strategic.perspective_id]),
            {"text": "Win rate held up."},
        ),
    },
    ("objective", "view"): {
        "page": page_get("objective", lambda t: t.objective),
        "api": api_call("get", lambda t: f"objectives/{t.objective.pk}"),
    },
    ("objective", "create"): {
        "page": page_form(
            "objective-new",
            None,
            lambda t, w: {"title": "Open Berlin", "unit": str(t.objective.unit_id), "owner": ""},
        ),
        "api": api_call(
            "post",
            lambda t: "objectives/",
            lambda t, w: {
                "cycle": t.objective.cycle_id,
                "title": "Open Berlin",
                "unit": t.objective.unit_id,
            },
        ),
    },
    ("objective", "create for a person"): {
        "page": page_form(
            "objective-new",
            None,
            lambda t, w: {
                "title": "Learn negotiation",
                "unit": "",
                "owner": str(t.key_result.owner_id),
            },
        ),
        "api": api_call(
            "post",
            lambda t: "objectives/",
            lambda t, w: {
                "cycle": t.objective.cycle_id,
                "title": "Learn negotiation",
                "owner": t.key_result.owner_id,
            },
        ),
    },
    ("objective", "change"): {
        "page": page_form("objective-edit", lambda t, w: t.objective, lambda t, w: {"title": "X"}),
        "api": api_call(
            "patch", lambda t: f"objectives/{t.objective.pk}", lambda t, w: {"title": "X"}
        ),
    },
    ("objective", "delete"): {
        "page": page_post("objective-delete", lambda t: t.objective),
        "api": api_call("delete", lambda t: f"objectives/{t.objective.pk}"),
    },
    ("objective", "grade"): {
        "page": page_post(
            "objective-grade",
            lambda t: t.objective,
            lambda t, w: {"final_grade": "0.6", "retrospective": "Close.", "grade_reason": "Late."},
        ),
        "api": api_call(
            "post",
            lambda t: f"objectives/{t.objective.pk}/grade",
            lambda t, w: {"final_grade": 0.6, "retrospective": "Close.", "grade_reason": "Late."},
        ),
    },
    ("key result", "view"): {
        "page": page_get("key-result", lambda t: t.key_result),
        "api": api_call("get", lambda t: f"key-results/{t.key_result.pk}"),
    },
    ("key result", "create"): {
        "page": page_form(
            "key-result-new",
            lambda t, w: t.objective,
            lambda t, w: {"title": "Demos", "target": "8", "baseline": "0"},
        ),
        "api": api_call(
            "post",
            lambda t: "key-results/",
            lambda t, w: {"objective": t.objective.pk, "title": "Demos", "target": 8},
        ),
    },
    ("key result", "change"): {
        "page": page_form(
            "key-result-edit", lambda t, w: t.key_result, lambda t, w: {"target": "12"}
        ),
        "api": api_call(
            "patch", lambda t: f"key-results/{t.key_result.pk}", lambda t, w: {"target": 12}
        ),
    },
    ("key result", "delete"): {
        "page": page_post("key-result-delete", lambda t: t.key_result),
        "api": api_call("delete", lambda t: f"key-results/{t.key_result.pk}"),
    },
    ("key result", "check in"): {
        "page": page_post(
            "checkin", lambda t: t.key_result, lambda t, w: {"value": "4", "confidence": "7"}
        ),
        "api": api_call(
            "post",
            lambda t: "checkins/",
            lambda t, w: {"key_result": t.key_result.pk, "value": 4, "confidence": 7},
        ),
    },
    ("key result", "hold"): {
        "page": page_form(
            "key-result-hold",
            lambda t, who: t.own_objectives[who],
            lambda t, w: {"key_result": str(t.key_result.pk), "weight": "1"},
        ),
        "api": lambda client, admin, t, who: api(
            client,
            "post",
            f"objectives/{t.own_objectives[who].pk}/key-results",
            {"key_result": t.key_result.pk, "weight": 1},
        ),
    },
    ("alert", "snooze"): {
        "page": lambda client, admin, t, who: client.post(
            reverse("alert-snooze"), sell_more_group(t, who)
        ),
        "api": api_call("post", lambda t: "insights/alert-snoozes", sell_more_group),
    },
    ("alert", "unsnooze"): {
        "page": snoozed_first(
            lambda client, admin, t, who: client.post(
                reverse("alert-unsnooze"), {"group": sell_more_group(t, who)["group"]}
            )
        ),
        "api": snoozed_first(
            api_call(
                "post",
                lambda t: "insights/alert-snoozes/wake",
                lambda t, who: {"group": sell_more_group(t, who)["group"]},
            )
        ),
    },
}


def import_status(client, admin, t, who):
    """The status page of an import the member (the key result's owner) confirmed."""
    job = ImportJob.objects.create(
        person=t.key_result.owner, filename="units.csv", outcome="imported", lines=["units: 1"]
    )
    return client.get(reverse("exchange-import-job", args=[job.pk]))


def import_preview(client, admin, t, who):
    """A workbook's preview: one unit row, under the company."""
    upload = SimpleUploadedFile("units.csv", b"name,parent\nBerlin office,Sales\n")
    return client.post(reverse("exchange-import"), {"file": upload})


def viva_preview(client, admin, t, who):
    """A Viva Goals export (the Explorer's CSV), found by its headers: the same answer."""
    upload = SimpleUploadedFile(
        "explorer.csv",
        b"Id,Title,Object Type,Aligned To,Period,Start Date,End Date\n"
        b"1,Grow,Objective,,Q3 2025,2025-07-01,2025-09-30\n",
    )
    return client.post(reverse("exchange-import"), {"file": upload})


def mapping_read(client, admin, t, who):
    """A spreadsheet of another shape, read for its columns (the import preview's rule)."""
    upload = SimpleUploadedFile("okrs.csv", b"Objective,Key result,Target\nGrow,Reach ten,10\n")
    return client.post(reverse("exchange-mapping"), {"file": upload})


def mapping_preview(client, admin, t, who):
    """Its dry run by a mapping: every reader gets the answer, refusals row by row."""
    read = mapping_read(client, admin, t, who)
    if read.status_code != 200:
        return read
    token = re.search(r'name="token" value="([^"]+)"', read.content.decode())[1]
    columns = {"column-0": "parent", "column-1": "title", "column-2": "target"}
    return client.post(
        reverse("exchange-mapping-preview"),
        {"token": token, "filename": "okrs.csv", "cycle": t.key_result.cycle.name, **columns},
    )


SURFACES |= {
    ("data source", "view"): {
        "page": page_get("source", lambda t: t.source),
        "api": api_call("get", lambda t: f"sources/{t.source.pk}"),
    },
    ("data source", "create"): {
        "page": page_form(
            "source-new", lambda t, w: t.unsourced, lambda t, w: {"name": "Typed", "kind": "push"}
        ),
        "api": api_call(
            "post",
            lambda t: "sources/",
            lambda t, w: {"measure": t.unsourced.pk, "name": "Typed", "kind": "push"},
        ),
    },
    ("data source", "change"): {
        "api": api_call("patch", lambda t: f"sources/{t.source.pk}", lambda t, w: {"name": "X"}),
    },
    ("unit channels", "view"): {
        "api": api_call("get", lambda t: f"units/{t.scorecard.unit_id}/channels"),
    },
    ("unit channels", "change"): {
        "api": api_call("put", lambda t: f"units/{t.scorecard.unit_id}/channels", lambda t, w: {}),
    },
    ("own notifications", "change"): {
        "page": lambda client, admin, t, who: client.post(
            reverse("notification-settings"), {"channel": "email", "weekday": "1"}
        ),
        "api": api_call(
            "put", lambda t: "me/notifications", lambda t, w: {"channel": "email", "weekday": 1}
        ),
    },
    ("export", "download"): {
        "page": lambda client, admin, t, who: client.get(reverse("exchange-export", args=["xlsx"])),
    },
    ("import", "preview"): {
        "page": import_preview,
        "viva": viva_preview,
        "mapping": mapping_read,
        "mapping preview": mapping_preview,
    },
    ("import", "status"): {"page": import_status},
}


# People and the unit tree (issue 23): the people they act on are made inside each
# surface's savepoint (an invitee without a password), or are the world's.
def named(username: str) -> Person:
    return Person.objects.get(username=username)


def invited_first(act: Callable[[Client, Client, Person], object]) -> Act:
    def run(client, admin, t, who):
        invitee = person_create(acting=None, username="invitee", email="invitee@example.com")
        return act(client, admin, invitee)

    return run


def support(t: Things) -> Unit:
    return Unit.objects.get(name="Support")


PASSKEY_ORIGIN = "http://localhost:8000"


def passkey_add(client, admin, t, who):
    """Named, then made by the browser (a passkey in software) through both steps."""
    with override_settings(
        OTP_WEBAUTHN_RP_ID="localhost", OTP_WEBAUTHN_ALLOWED_ORIGINS=[PASSKEY_ORIGIN]
    ):
        client.post(reverse("two-factor"), {"action": "passkey", "name": "Laptop"})
        begun = client.post(reverse("otp_webauthn:credential-registration-begin"))
        if begun.status_code != 200:
            return begun
        answer = SoftPasskey("localhost", PASSKEY_ORIGIN).create(begun.json())
        made = reverse("otp_webauthn:credential-registration-complete")
        return client.post(made, answer, content_type="application/json")


def passkey_remove(client, admin, t, who):
    """One's own passkey (made here for the persona, as the ceremony would keep it)."""
    person = Person.objects.get(pk=t.own_objectives[who].owner_id)
    kept = WebAuthnCredential.objects.create(
        user=person,
        name="Phone",
        credential_id=b"\x01" + person.pk.to_bytes(8, "big"),
        public_key=b"key",
    )
    return client.post(reverse("passkey-remove", args=[kept.pk]))


def persona(t: Things, who: str) -> Person:
    return Person.objects.get(pk=t.own_objectives[who].owner_id)


def one_click_checkin(client, admin, t, who):
    """A reminder's signed link of the persona's own, opened signed in as them."""
    link = checkin_link(persona(t, who), t.key_result)
    return client.post(link, {"value": "4", "confidence": "7"})


def slack_checkin(client, admin, t, who):
    """The Slack form's submission by the persona's linked Slack user, signed as Slack
    signs it; Slack shows a refusal beside the field (200 with `errors`): a 403 here."""
    person = persona(t, who)
    SlackIdentity.objects.create(team_id="T1", user_id=f"U{person.pk}", person=person)
    values = {"value": {"value": {"value": "4"}}, "confidence": {"confidence": {"value": "7"}}}
    view = {"callback_id": "checkin", "private_metadata": str(t.key_result.pk)}
    payload = {
        "type": "view_submission",
        "team": {"id": "T1"},
        "user": {"id": f"U{person.pk}"},
        "view": {**view, "state": {"values": values}},
    }
    body = urlencode({"payload": json.dumps(payload)}).encode()
    stamp = str(int(time.time()))
    headers = {"X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": signature(body, stamp)}
    with override_settings(SLACK_SIGNING_SECRET=SLACK_SECRET):
        answer = Client().post(
            reverse("chat-slack-interactions"),
            body,
            content_type="application/x-www-form-urlencoded",
            headers=headers,
        )
    return HttpResponse(status=403) if b'"errors"' in answer.content else answer


def slack_link_confirm(client, admin, t, who):
    """Linking one's Slack user (the bot's link, confirmed signed in): how one is reached."""
    return client.post(reverse("chat-slack-link", args=[slack_token(SlackUser("T1", "U9"))]))


SURFACES[("key result", "check in")]["one-click link"] = one_click_checkin
SURFACES[("key result", "check in")]["slack"] = slack_checkin
SURFACES[("own notifications", "change")]["slack link"] = slack_link_confirm


SURFACES |= {
    ("own passkeys", "add"): {"page": passkey_add},
    ("own passkeys", "remove"): {"page": passkey_remove},
}


SURFACES |= {
    ("unit", "move"): {
        "page": page_form(
            "unit-edit", lambda t, w: t.leaf_unit, lambda t, w: {"parent": str(support(t).pk)}
        ),
        "api": api_call(
            "post", lambda t: f"units/{t.leaf_unit.pk}/move", lambda t, w: {"parent": support(t).pk}
        ),
    },
    ("unit", "set lead"): {
        "page": page_form(
            "unit-lead", lambda t, w: t.leaf_unit, lambda t, w: {"person": str(named("member").pk)}
        ),
        "api": api_call(
            "put",
            lambda t: f"units/{t.leaf_unit.pk}/lead",
            lambda t, w: {"person": named("member").pk},
        ),
    },
    ("people", "list"): {
        "page": lambda client, admin, t, who: client.get(reverse("people"), {"q": "a"}),
        "api": api_call("get", lambda t: "people/"),
    },
    ("person", "invite"): {
        "page": page_form("people-invite", None, lambda t, w: {"email": "new@example.com"}),
        "api": api_call("post", lambda t: "invitations", lambda t, w: {"email": "new@example.com"}),
    },
    ("person", "invite many"): {
        "page": lambda client, admin, t, who: client.post(
            reverse("people-invite-many"), {"people": "new@example.com,New,Person,member,Leaf"}
        ),
        "api": api_call(
            "post", lambda t: "invitations/bulk", lambda t, w: {"csv": "new@example.com"}
        ),
    },
    ("person", "invite again"): {
        "page": invited_first(
            lambda client, admin, invitee: client.post(
                reverse("person-invite-again", args=[invitee.pk])
            )
        ),
        "api": invited_first(
            lambda client, admin, invitee: api(client, "post", f"people/{invitee.pk}/invitation")
        ),
    },
    ("person", "change role"): {
        "page": page_form(
            "person-edit", lambda t, w: named("member"), lambda t, w: {"role": "viewer"}
        ),
        "api": api_call(
            "patch", lambda t: f"people/{named('member').pk}", lambda t, w: {"role": "viewer"}
        ),
    },
    ("person", "deactivate"): {
        "page": page_post("person-deactivate", lambda t: named("member")),
        "api": api_call(
            "post", lambda t: f"people/{named('member').pk}/deactivate", lambda t, w: {}
        ),
    },
    ("person", "reactivate"): {
        "page": page_post("person-reactivate", lambda t: named("gone")),
        "api": api_call("post", lambda t: f"people/{named('gone').pk}/reactivate"),
    },
}
# The rows that had only the API gain the unit pages.
SURFACES[("unit", "create")]["page"] = page_form(
    "unit-new", None, lambda t, w: {"name": "New", "parent": str(t.leaf_unit.pk)}
)
SURFACES[("unit", "change")]["page"] = page_form(
    "unit-edit", lambda t, w: t.leaf_unit, lambda t, w: {"name": "X"}
)
SURFACES[("unit", "delete")]["page"] = page_post("unit-close", lambda t: t.leaf_unit)


SURFACES |= {
    ("own profile", "change"): {
        "page": page_form("account-profile", None, lambda t, w: {"time_zone": "Europe/Berlin"}),
        "api": api_call("patch", lambda t: "me", lambda t, w: {"time_zone": "Europe/Berlin"}),
    },
    ("own sessions", "view"): {
        "page": lambda client, admin, t, who: client.get("/account/sessions/")
    },
    ("own sessions", "sign out"): {
        "page": lambda client, admin, t, who: client.post(reverse("sessions-end-others")),
    },
    ("people's sign-ins", "view"): {
        "page": lambda client, admin, t, who: client.get(reverse("people-history")),
    },
    ("second factor rule", "change"): {
        "page": page_form("second-factor-policy", None, lambda t, w: {"roles": ["admin"]}),
    },
}


# Comments (issue 25): a comment of one's own, or of someone who is no persona, is made
# first inside each surface's savepoint (a viewer's too, as an import could have left).
def comment_of(t: Things, who: str | None) -> Comment:
    author = (
        Person.objects.get(pk=t.own_objectives[who].owner_id)
        if who
        else person_create(acting=None, username="writer")
    )
    return Comment.objects.create(author=author, objective=t.objective, body="Why so low?")


def on_a_comment(act: Callable[[Client, Comment], object], own: bool = True) -> Act:
    return lambda client, admin, t, who: act(client, comment_of(t, who if own else None))


SURFACES[("comment", "post")] = {
    "page": page_post("objective-comments", lambda t: t.objective, lambda t, w: {"body": "Hi"}),
    "reply to a check-in": page_post(
        "key-result-comments",
        lambda t: t.key_result,
        lambda t, w: {"body": "Why?", "checkin": t.key_result.checkins.get().pk},
    ),
    "on a value": page_post(
        "measure-comments",
        lambda t: t.measure,
        lambda t, w: {"body": "Why?", "measure_value": t.measure.values.get().pk},
    ),
    "api": api_call(
        "post", lambda t: f"objectives/{t.objective.pk}/comments", lambda t, w: {"body": "Hi"}
    ),
}
SURFACES[("comment", "edit own")] = {
    "page": on_a_comment(
        lambda client, c: client.post(reverse("comment-edit", args=[c.pk]), {"body": "Edited"})
    ),
    "api": on_a_comment(lambda client, c: api(client, "patch", f"comments/{c.pk}", {"body": "E"})),
}
SURFACES[("comment", "delete own")] = {
    "page": on_a_comment(lambda client, c: client.post(reverse("comment-delete", args=[c.pk]))),
    "api": on_a_comment(lambda client, c: api(client, "delete", f"comments/{c.pk}")),
}
# The activity feeds and the follow switch (issue 25): pages and API alike.
SURFACES[("activity", "view")] = {
    "own page": lambda client, admin, t, who: client.get(reverse("activity")),
    "company page": lambda client, admin, t, who: client.get(reverse("activity-company")),
    "unit page": page_get("unit-activity", lambda t: t.leaf_unit),
    "own api": api_call("get", lambda t: "activity?kind=checkins"),
    "company api": api_call("get", lambda t: "activity/company"),
    "unit api": api_call("get", lambda t: f"units/{t.leaf_unit.pk}/activity"),
}
FOLLOWING = {"following": "1"}
SURFACES[("activity", "follow")] = {
    "objective": page_post("objective-follow", lambda t: t.objective, lambda t, w: FOLLOWING),
    "key result": page_post("key-result-follow", lambda t: t.key_result, lambda t, w: FOLLOWING),
    "strategic objective": page_post(
        "strategic-objective-follow", lambda t: t.strategic, lambda t, w: FOLLOWING
    ),
    "measure": page_post("measure-follow", lambda t: t.measure, lambda t, w: FOLLOWING),
    "unit": page_post("unit-follow", lambda t: t.leaf_unit, lambda t, w: FOLLOWING),
    "api": api_call("post", lambda t: f"objectives/{t.objective.pk}/follow"),
    "api unfollow": api_call("delete", lambda t: f"measures/{t.measure.pk}/follow"),
}
SURFACES[("comment", "delete another's")] = {
    "page": on_a_comment(
        lambda client, c: client.post(reverse("comment-delete", args=[c.pk])), own=False
    ),
    "api": on_a_comment(lambda client, c: api(client, "delete", f"comments/{c.pk}"), own=False),
}


def allowed(response) -> bool:
    """Did the surface do it? A refusal is 401/403/404, a form sent back or the sign-in page."""
    status = response.status_code
    if status in (200, 201, 202, 204):  # 202: a mail was sent
        return True
    if status == 302:
        return "/login/" not in response["Location"]
    assert status in (400, 401, 403, 404), f"unexpected status {status}"
    return False


def test_every_row_of_the_table_has_its_surfaces():
    assert set(SURFACES) == set(p.ROLE_TABLE)


@pytest.mark.parametrize("row", list(p.ROLE_TABLE), ids=lambda row: f"{row[1]} {row[0]}")
def test_pages_and_api_give_the_tables_verdict(world, personas, api_clients, things, row):
    admin_page = Client()
    admin_page.force_login(world.admin)
    expected = p.ROLE_TABLE[row]
    seen = {}
    for who, person in personas.items():
        for surface, act in SURFACES[row].items():
            if surface != "api":
                client = Client()
                client.force_login(person)
            else:
                client = api_clients[who]
            with transaction.atomic():
                seen[(who, surface)] = allowed(act(client, admin_page, things, who))
                transaction.set_rollback(True)
    for who in personas:
        verdicts = {surface: seen[(who, surface)] for surface in SURFACES[row]}
        assert verdicts == dict.fromkeys(verdicts, who in expected), (row, who, verdicts)
