"""The hostile-input corpus against every API operation, walked from the OpenAPI
document: for each operation a valid-looking request is built from its parameters and
body schema, then each field (path id, query parameter, body property) is replaced in
turn by a hostile value, in JSON, with the admin's token and a member's. No answer may
be a server error, and no refused request may write a row. The corpus size is printed.

Also the findings that started it: a check-in of 1e308 and a lone surrogate in a
description, which used to be stored (the first broke every forecast, the second every
page that showed it)."""

import json
from urllib.parse import quote, urlencode

import pytest

from lodestar.api.api import api
from lodestar.conftest import token_client
from lodestar.okrs.models import CheckIn
from lodestar.strategy.models import Theme
from lodestar.tests.hostile import Tally, build_targets, hostile_values, spread
from lodestar.validation import NUMBER_MESSAGE, TEXT_MESSAGE

# Writes get a larger share of the values than reads; every value reaches every operation.
VALUES_PER_FIELD = {("admin", "write"): 6, ("admin", "read"): 3, ("member", "write"): 3}
VALUES_PER_FIELD[("member", "read")] = 2
SAMPLE_VALUES = {
    "integer": 1,
    "number": 1.0,
    "boolean": True,
    "date": "2026-10-15",
    "date-time": "2026-10-15T10:00:00Z",
    "uri": "https://example.com/hook",
}
NAMED_VALUES = {
    "limit": 10,
    "offset": 0,
    "position": 0,
    "confidence": 5,
    "percent_complete": 10,
    "events": ["*"],
    "url": "https://example.com/hook",
    "final_grade": 0.5,
    "status": "green",
    "period_from": "2026-01-01",
    "period_to": "2026-12-31",
    "since": "2026-10-01T00:00:00Z",
}


def resolve_ref(schema: dict, document: dict) -> dict:
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def valid_value(name: str, schema: dict, targets, document: dict):
    """A value the operation could accept: a real id for an id, a plain figure or word."""
    if name in targets.ids and targets.ids[name] is not None:
        return targets.ids[name]
    if name in NAMED_VALUES:
        return NAMED_VALUES[name]
    schema = resolve_ref(schema, document)
    for option in schema.get("anyOf", []):
        if option.get("type") != "null":
            return valid_value(name, option, targets, document)
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type", "string")
    if kind == "array":
        return [valid_value(name, schema.get("items", {}), targets, document)]
    if kind == "string":
        return SAMPLE_VALUES.get(schema.get("format", ""), "text")
    return SAMPLE_VALUES.get(kind, "text")


def operations(document: dict):
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def valid_request(path: str, operation: dict, targets, document: dict):
    """(path values, query values, body values) of a request the operation could accept."""
    segment = path.removeprefix("/api/v1/").split("/")[0]
    path_values, query = {}, {}
    for parameter in operation.get("parameters", []):
        name = parameter["name"]
        if parameter["in"] == "path":
            target = targets.planning if path.endswith("/activate") else targets[segment]
            path_values[name] = target.pk
        else:
            query[name] = valid_value(name, parameter.get("schema", {}), targets, document)
    body = None
    content = operation.get("requestBody", {}).get("content", {}).get("application/json")
    if content:
        schema = resolve_ref(content["schema"], document)
        body = {
            name: valid_value(name, prop, targets, document)
            for name, prop in schema.get("properties", {}).items()
        }
    return path_values, query, body


def url_of(path: str, path_values: dict, query: dict) -> str:
    for name, value in path_values.items():
        path = path.replace(f"{{{name}}}", quote(str(value), safe="", errors="surrogatepass"))
    pairs = [
        (name, item)
        for name, value in query.items()
        if value is not None
        for item in (value if isinstance(value, list) else [value])
    ]
    encoded = urlencode(pairs, errors="surrogatepass")
    return f"{path}?{encoded}" if encoded else path


def send(client, method: str, url: str, body):
    data = "" if body is None else json.dumps(body)  # NaN and Infinity as JSON's cousins
    return client.generic(method.upper(), url, data, content_type="application/json")


@pytest.fixture
def targets(world):
    return build_targets(world)


SHARDS = 4  # cases of the corpus, so that it spreads over parallel test workers


def in_shard(shard: int, document: dict):
    """(index, path, method, operation) of the operations of one shard."""
    for index, (path, method, operation) in enumerate(operations(document)):
        if index % SHARDS == shard:
            yield index, path, method, operation


@pytest.mark.parametrize("shard", range(SHARDS))
def test_no_api_operation_answers_a_hostile_input_with_a_server_error(world, targets, shard):
    document = api.get_openapi_schema()
    values = hostile_values(targets.private.pk)
    tally = Tally()
    covered = set()
    for person in (world.admin, world.member):
        client = token_client(person)
        for index, path, method, operation in in_shard(shard, document):
            path_values, query, body = valid_request(path, operation, targets, document)
            fields = [("path", name) for name in path_values]
            fields += [("query", name) for name in query]
            fields += [("body", name) for name in body or {}]
            if not fields:  # nothing to make hostile (`GET /me`): it must answer all the same
                covered.add((method, path))
                tally.send(
                    f"{person.username} {method.upper()} {path}",
                    lambda client=client, method=method, path=path: send(
                        client, method, path, None
                    ),
                    counted=method != "get",
                )
                continue
            kind = "read" if method == "get" else "write"
            share = VALUES_PER_FIELD[(person.username, kind)]
            rotated = values[index % len(values) :] + values[: index % len(values)]
            for (where, name), value in spread(fields, rotated, share):
                covered.add((method, path))
                request = {"path": dict(path_values), "query": dict(query), "body": body}
                if where == "body":
                    request["body"] = {**body, name: value.value}
                else:
                    request[where][name] = value.value if where == "query" else value.form
                url = url_of(path, request["path"], request["query"])
                tally.send(
                    f"{person.username} {method.upper()} {path} {where}.{name}={value.name}",
                    lambda client=client, method=method, url=url, body=request["body"]: send(
                        client, method, url, body
                    ),
                    counted=method != "get",
                )
    print(f"\n{tally.report(f'API, shard {shard}')}, {len(covered)} operations")
    assert tally.server_errors == [], "\n".join(tally.server_errors)
    assert tally.written_when_refused == [], "\n".join(tally.written_when_refused)
    assert len(covered) == sum(1 for _ in in_shard(shard, document)) > 0


@pytest.fixture
def key_result(world):
    return build_targets(world)["key-results"]


@pytest.mark.parametrize("value", [1e308, -1e308, 1e13])
def test_an_api_check_in_beyond_the_bound_is_refused_in_domain_words(world, key_result, value):
    answer = token_client(world.member).post(
        "/api/v1/checkins/",
        {"key_result": key_result.pk, "value": value, "confidence": 5},
        content_type="application/json",
    )
    assert answer.status_code == 422
    assert answer.json()["errors"] == {"value": [NUMBER_MESSAGE]}
    assert CheckIn.objects.filter(value=value).count() == 0


def test_a_lone_surrogate_in_an_api_description_is_refused_by_its_field(world):
    body = json.dumps(
        {"scorecard": world.scorecard.pk, "name": "Growth", "description": "a\ud800b"}
    )
    assert "\\ud800" in body  # JSON's own escape: any client can send it
    answer = token_client(world.admin).post(
        "/api/v1/themes/", body, content_type="application/json"
    )
    assert answer.status_code == 422
    assert answer.json()["errors"] == {"description": [TEXT_MESSAGE]}
    assert not Theme.objects.exists()


def test_negative_zero_through_the_api_is_stored_as_zero(world, key_result):
    answer = token_client(world.member).post(
        "/api/v1/checkins/",
        json.dumps({"key_result": key_result.pk, "value": -0.0, "confidence": 5}),
        content_type="application/json",
    )
    assert answer.status_code == 201
    assert json.dumps(answer.json()["value"]) == "0.0"
