"""Only what you may do is offered (issue 26): signed in as each persona, a crawl from `/`
following the site's own links finds no link, and no form's button, that answers 403.

A form is submitted as a browser would (its hidden fields), inside a savepoint rolled
back at once, so nothing it does outlives the check and the crawl sees the world as it
was; a 400 (a required field left empty) is not a refusal."""

from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from django.db import transaction

from lodestar.okrs.services import checkin_create, key_result_create, objective_create
from lodestar.sources.services import data_source_create
from lodestar.strategy.services import (
    measure_create,
    scorecard_create,
    strategic_objective_create,
)

PAGES_AT_MOST = 300
# Signing out ends the crawl's session; downloads and the API are not pages one browses.
NOT_FOLLOWED = ("logout", "sign-out", "signout", "/api/", "/export/", "/download", ".pdf")


@dataclass
class Form:
    action: str
    fields: dict[str, str] = field(default_factory=dict)


class Offered(HTMLParser):
    """A page's links and the forms a person could submit (method POST)."""

    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.forms: list[Form] = []
        self.form: Form | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href") and "download" not in attrs:
            self.links.append(attrs["href"])
        elif tag == "form" and (attrs.get("method") or "get").lower() == "post":
            self.form = Form(attrs.get("action") or "")
        elif self.form and attrs.get("name") and (tag == "button" or attrs.get("type") == "hidden"):
            self.form.fields[attrs["name"]] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form" and self.form:
            self.forms.append(self.form)
            self.form = None


def same_site(url: str, page: str) -> str | None:
    """The path (with query) a link on `page` leads to, when it stays on the site."""
    url = urldefrag(urljoin(page, url)).url
    parts = urlsplit(url)
    if parts.scheme not in ("http", "") or parts.netloc not in ("testserver", ""):
        return None
    if any(word in url for word in NOT_FOLLOWED):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def refused_offers(client) -> tuple[list[str], int]:
    """Every link and form answering 403 (with the page offering it), and the pages read."""
    refused, seen, tried, queue = [], {"/"}, set(), [("/", "")]
    while queue and len(seen) <= PAGES_AT_MOST:
        page, offered_on = queue.pop(0)
        response = client.get(page)
        if response.status_code == 403:
            refused.append(f"link {page} (on {offered_on})")
        if response.status_code != 200 or "html" not in response.get("content-type", ""):
            continue
        offered = Offered()
        offered.feed(response.content.decode())
        for link in offered.links:
            target = same_site(link, page)
            if target and target not in seen:
                seen.add(target)
                queue.append((target, page))
        for form in offered.forms:
            target = same_site(form.action or page, page)
            if target and target not in tried:
                tried.add(target)
                if submitted(client, target, form.fields) == 403:
                    refused.append(f"form {target} (on {page})")
    return refused, len(seen)


def submitted(client, target: str, fields: dict[str, str]) -> int:
    with transaction.atomic():
        status = client.post(target, fields).status_code
        transaction.set_rollback(True)
    return status


@pytest.fixture
def furnished(world):
    """The world with what the pages link to: a unit scorecard with a measure filled by a
    data source, and an OKR objective with a key result checked in."""
    card = scorecard_create(
        acting=None,
        unit=world.sales,
        name="Sales 2026",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
    )
    strategic = strategic_objective_create(
        acting=None,
        scorecard=card,
        perspective=card.perspectives.get(name="Customer"),
        name="Win deals",
        code="S1",
    )
    measure = measure_create(
        acting=None, objective=strategic, name="Win rate", baseline=20, target=40
    )
    data_source_create(acting=None, measure=measure, name="CRM", kind="push")
    objective = objective_create(
        acting=None, cycle=world.cycle, title="Sell more", unit=world.sales, owner=world.lead
    )
    key_result = key_result_create(
        acting=None, objective=objective, title="Deals", owner=world.member, target=10
    )
    checkin_create(acting=None, key_result=key_result, value=2, confidence=6)
    return world


@pytest.mark.parametrize("persona", ["admin", "strat", "lead", "member", "viewer", "outsider"])
def test_no_offered_link_or_button_answers_403(furnished, signed_in, persona):
    refused, pages = refused_offers(signed_in(getattr(furnished, persona)))
    assert pages > 20, "the crawl should reach the site's pages"
    assert refused == []
