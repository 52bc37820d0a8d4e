"""The import layers, kept by parsing every module's imports (function-local ones too).

A module may import its own layer and the layers below it, never one above: that is
what keeps the domain free of the pages and the joint free of import cycles.
The same list, in words, is the README's architecture section.
"""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent

# Lowest first. The most specific prefix decides a module's layer.
LAYERS: list[tuple[str, ...]] = [
    # pure rules and the project's small utilities, no domain models
    (
        "lodestar.scoring",
        "lodestar.validation",
        "lodestar.tree",
        "lodestar.settings",
        "lodestar.request_log",
        "lodestar.computed",
        "lodestar.audit.history",
        "lodestar.audit.origin",  # from where a change came, read by `org.acting.service`
        "lodestar.outbound",
        "lodestar.outage",
        "lodestar.formats",
        "lodestar.links",
        "lodestar.conversation.formatting",  # a comment's words as safe HTML
    ),
    # the domain's models and careful reads, org → strategy → okrs
    (
        "lodestar.org.models",
        "lodestar.org.selectors",
        "lodestar.org.acting",
        "lodestar.org.changes",  # what a write touched, recorded by `service`
    ),
    ("lodestar.strategy.models",),
    ("lodestar.sources.models",),
    ("lodestar.okrs.models",),
    # the models of what one person keeps, sees and sends (named by the reader's rules)
    (
        "lodestar.insights.models",
        "lodestar.api.models",
        "lodestar.notify.models",
        "lodestar.jobs.models",
        "lodestar.jobs.queue",
        "lodestar.conversation.models",
        "lodestar.activity.models",
        "lodestar.exchange.models",  # import keys, jobs' files, saved mappings
        "lodestar.chat.models",  # one-click links' nonces, Slack identities and signatures
    ),
    # the reader: who is looking, the rules of every model, the rows and figures shown
    (
        "lodestar.org.rules",
        "lodestar.org.reader",
        "lodestar.org.permissions",
        "lodestar.insights.kept",
        "lodestar.insights.tasks",  # kept figures refreshed in the background
        "lodestar.okrs.selectors",
        "lodestar.conversation.selectors",
        "lodestar.activity.selectors",  # the feeds, read live through the rules
    ),
    # the joint of the two frameworks: roll-up, scoring parameters, pace and words
    ("lodestar.scores",),
    # the outbox: events written in the change's own transaction
    ("lodestar.notify.events",),
    # the writes: every rule inside, calling the joint and the outbox
    (
        "lodestar.org.services",
        "lodestar.strategy.notes",  # when a write must carry its note
        "lodestar.strategy.services",
        "lodestar.okrs.services",
        "lodestar.okrs.closing",
        "lodestar.org.invitations",  # the invitation's link and mail
        "lodestar.sso.offer",  # what single sign-on offers (an invitation says it)
        "lodestar.sso.provider",
        "lodestar.conversation.services",
        "lodestar.activity.services",
    ),
    # what is read across both frameworks
    ("lodestar.insights",),
    # measures that fill themselves: fetching, checking and writing a source's rows
    (
        "lodestar.sources.fetchers",
        "lodestar.sources.rows",
        "lodestar.sources.services",
        "lodestar.sources.sync",
    ),
    # spreadsheets and backups: import, export, starter templates, through the services
    ("lodestar.exchange",),
    # the demo organisation, sheets of the import layout brought in by the import
    ("lodestar.demo",),
    # the surfaces: pages, API, workers, commands, admin, URL and WSGI wiring
    (
        "lodestar.api",
        "lodestar.audit",
        "lodestar.web",
        "lodestar.notify",
        "lodestar.sources",
        "lodestar.reports",
        "lodestar.sso",
        "lodestar.scim",
        "lodestar.org",
        "lodestar.strategy",
        "lodestar.okrs",
        "lodestar.urls",
        "lodestar.wsgi",
        "lodestar.health",
        "lodestar.jobs",
        "lodestar.gunicorn_conf",
        "lodestar.conversation",
        "lodestar.activity",
        "lodestar.chat",
        "lodestar.__main__",
    ),
]


def layer_of(module: str) -> int | None:
    best: tuple[int, int] | None = None  # (prefix length, layer)
    for index, prefixes in enumerate(LAYERS):
        for prefix in prefixes:
            matches = module == prefix or module.startswith(prefix + ".")
            if matches and (best is None or len(prefix) > best[0]):
                best = (len(prefix), index)
    return None if best is None else best[1]


def modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        if "tests" in parts or "migrations" in parts or parts[-1] == "conftest":
            continue
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        if name != "lodestar":  # the package itself holds nothing but its docstring
            found[name] = path
    return found


def imported(path: Path, module: str, known: dict[str, Path]) -> set[str]:
    """The project modules a module imports; `from a import b` names a.b when b is one."""
    names = set()
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1])
                base = f"{base}.{node.module}" if node.module else base
            for alias in node.names:
                deeper = f"{base}.{alias.name}"
                names.add(deeper if deeper in known else base)
    return {name for name in names if name in known}


def test_every_module_has_a_layer():
    assert [name for name in modules() if layer_of(name) is None] == []


def test_no_module_imports_a_layer_above_its_own():
    known = modules()
    upward = []
    for name, path in known.items():
        own = layer_of(name)
        for target in imported(path, name, known):
            if own is not None and layer_of(target) > own:
                upward.append(f"{name} imports {target}")
    assert upward == []
