"""The served OpenAPI document, tidied into a contract a client generator takes as it is.

ninja writes an optional query parameter as "its type or null", though a query string
has no null: a generated client then asks for a union where a plain optional value is
meant. An optional body likewise: "not required" already says it may be left out (and
openapi-python-client sends its "unset" marker as the body of the null union). ninja
also lists every filter and pagination model it flattened into parameters as a schema
of its own, which nothing refers to. All three are undone here, after ninja."""

from typing import Any

NULL = {"type": "null"}
REF_PREFIX = "#/components/schemas/"


def tidy(document: dict) -> dict:
    for item in document["paths"].values():
        for operation in item.values():
            for parameter in operation.get("parameters", []):
                parameter["schema"] = without_null(parameter["schema"])
            for body in operation.get("requestBody", {}).get("content", {}).values():
                body["schema"] = without_null(body["schema"])
    keep_referenced_schemas(document)
    return document


def without_null(schema: dict) -> dict:
    """`{"anyOf": [T, null], …}` as `{T…, …}`; any other schema as it is."""
    branches = schema.get("anyOf", [])
    others = [branch for branch in branches if branch != NULL]
    if len(branches) != 2 or len(others) != 1:
        return schema
    rest = {k: v for k, v in schema.items() if k != "anyOf" and not (k == "default" and v is None)}
    return {**others[0], **rest}


def references(node: Any) -> set[str]:
    """The names of the component schemas `node` refers to, at any depth."""
    if isinstance(node, dict):
        found = {node["$ref"].removeprefix(REF_PREFIX)} if "$ref" in node else set()
        return found.union(*(references(value) for value in node.values()))
    if isinstance(node, list):
        return set().union(*(references(value) for value in node))
    return set()


def keep_referenced_schemas(document: dict) -> None:
    schemas = document["components"]["schemas"]
    reached: set[str] = set()
    waiting = references({k: v for k, v in document.items() if k != "components"})
    while waiting:
        name = waiting.pop()
        if name not in reached:
            reached.add(name)
            waiting |= references(schemas[name])
    document["components"]["schemas"] = {k: v for k, v in schemas.items() if k in reached}
