"""The hostile-input corpus against every web form: routes taken from the URL conf (every
`-new`, `-edit`, `-delete` route, the check-in, grade, hold and the cycle's activate and
close), each form's fields read from its own page, a valid-looking body built from them
and one field at a time replaced by a hostile value; signed in as admin (who reaches
every form) and as a member. No answer may be a server error, and no refused request
may write a row. The corpus size is printed."""

import re
from html.parser import HTMLParser
from urllib.parse import urlencode

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from lodestar.tests.hostile import Tally, build_targets, hostile_values, spread

EXTRA_ROUTES = {
    "api-tokens",
    "checkin",
    "objective-grade",
    "key-result-hold",
    "cycle-activate",
    "cycle-close",
}
# Routes that only take POST, and the page whose form posts to them.
FORM_ON = {
    "checkin": "key-result",
    "objective-grade": "cycle",
}
# The admin, who reaches every form, sends every value to every field; the member a
# rotating share of them (the same forms mostly refuse the member outright).
VALUES_PER_FIELD = {"admin": 100, "member": 5}
QUERY_KEYS = ("cycle", "unit", "parent", "contributes_to", "perspective", "objective", "cause")


def all_patterns(patterns=None, prefix: str = "") -> list[tuple[str, URLPattern]]:
    """(route, pattern) of every page outside the admin and the API."""
    found = []
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if not route.startswith(("admin/", "api/")):
                found += all_patterns(pattern.url_patterns, route)
        else:
            found.append((route, pattern))
    return found


def form_routes() -> list[tuple[str, URLPattern]]:
    found = [
        (route, pattern)
        for route, pattern in all_patterns()
        if pattern.name
        and (pattern.name.endswith(("-new", "-edit", "-delete")) or pattern.name in EXTRA_ROUTES)
    ]
    assert len(found) > 30
    return found


class Forms(HTMLParser):
    """Every POST <form> of a page: its action and its fields with their current values."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append(
                {
                    "action": attrs.get("action") or "",
                    "fields": {},
                    "post": attrs.get("method") == "post",
                }
            )
            return
        if not self.forms:
            return
        fields, name = self.forms[-1]["fields"], attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "button"):
            if attrs.get("type") in ("checkbox", "radio"):
                fields.setdefault(name, [])
                if "checked" in attrs:
                    fields[name].append(attrs.get("value", "on"))
            else:
                fields[name] = [attrs.get("value") or ""]
        elif tag == "select" and name:
            self._select = name
            fields[name] = []
        elif tag == "option" and self._select and "selected" in attrs:
            fields[self._select].append(attrs.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea = name
            fields[name] = [""]

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea and self.forms:
            self.forms[-1]["fields"][self._textarea] = [data]


def form_fields(client, page: str, action: str) -> dict[str, list[str]]:
    """The fields of the form on `page` that posts to `action` (none when the person may
    not see the page: the request is still sent, to be refused)."""
    answer = client.get(page)
    if answer.status_code != 200:
        return {}
    parser = Forms()
    parser.feed(answer.content.decode())
    posted = [form for form in parser.forms if form["post"]]
    for form in sorted(posted, key=lambda form: form["action"] != action):
        if form["action"] in ("", action):
            return {k: v for k, v in form["fields"].items() if k != "csrfmiddlewaretoken"}
    return {}


def encoded(fields: dict[str, list[str]]) -> str:
    """Form-encoded the way a browser would; a lone surrogate goes out as the bytes it
    would be in WTF-8 (no real encoder sends more)."""
    pairs = [(name, value) for name, values in fields.items() for value in values]
    return urlencode(pairs, encoding="utf-8", errors="surrogatepass")


@pytest.fixture
def targets(world):
    return build_targets(world)


def route_url(route: str, name: str, targets) -> str:
    keys = re.findall(r"<int:(\w+)>", route)
    if not keys:
        return reverse(name)
    target = targets[route.split("/")[0]]
    if name in ("cycle-activate", "cycle-delete"):
        target = targets.planning
    return reverse(name, kwargs=dict.fromkeys(keys, target.pk))


@pytest.mark.parametrize("form", [pattern.name for _, pattern in form_routes()])
def test_no_web_form_answers_a_hostile_input_with_a_server_error(form, world, targets, signed_in):
    """One form a case, so that the corpus spreads over parallel test workers."""
    values = hostile_values(targets.private.pk)
    tally = Tally()
    routes = {pattern.name: route for route, pattern in all_patterns() if pattern.name}
    route, pattern = next((r, p) for r, p in form_routes() if p.name == form)
    for person in (world.admin, world.member):
        client = signed_in(person)
        url = route_url(route, pattern.name, targets)
        shown_on = FORM_ON.get(pattern.name)
        page = route_url(routes[shown_on], shown_on, targets) if shown_on else url
        fields = form_fields(client, page, url)
        label = f"{person.username} POST {pattern.name}"
        pairs = spread(sorted(fields), values, VALUES_PER_FIELD[person.username]) or [
            ("unexpected", value) for value in values[::4]
        ]
        for name, value in pairs:
            body = {**fields, name: value.form if isinstance(value.form, list) else [value.form]}
            tally.send(
                f"{label} {name}={value.name}",
                lambda body=body, url=url, client=client: client.post(
                    url, encoded(body), content_type="application/x-www-form-urlencoded"
                ),
                counted=True,
            )
        if pattern.name.endswith(("-new", "-edit", "-hold")):
            for key, value in zip(QUERY_KEYS * 3, values[::2], strict=False):
                query = urlencode([(key, value.form)], errors="surrogatepass", doseq=True)
                tally.send(
                    f"{person.username} GET {pattern.name}?{key}={value.name}",
                    lambda query=query, url=url, client=client: client.get(f"{url}?{query}"),
                    counted=False,
                )
    print(f"\n{tally.report(f'web form {form}')}")
    assert tally.server_errors == [], "\n".join(tally.server_errors)
    assert tally.written_when_refused == [], "\n".join(tally.written_when_refused)
