"""Walks of a tree held as parent links: units, managers, cascaded objectives.

One place for the walks, so that one place guards against a loop. The services refuse a
loop when a parent is set (`closes_loop`), yet stored data may still hold one (written
before a rule existed, or by hand), and no walk may hang or visit a node twice over it:
every walk here visits each node once and stops where a path comes back on itself.

Nodes are any hashable keys: ids, or model instances (which hash by primary key).
Pure Python, no Django.
"""

from collections.abc import Callable, Hashable, Iterable, Mapping
from typing import TypeVar

Node = TypeVar("Node", bound=Hashable)
Item = TypeVar("Item")


def children_of(parents: Mapping[Node, Node | None]) -> dict[Node | None, list[Node]]:
    """The parent links turned round: each parent's children, in the mapping's order
    (the roots under None)."""
    children: dict[Node | None, list[Node]] = {}
    for node, parent in parents.items():
        children.setdefault(parent, []).append(node)
    return children


def parent_within(
    nodes: Mapping[Node, Item], parent_key: Callable[[Item], Node | None]
) -> Callable[[Node], Node | None]:
    """`parent_of` for nodes held by key: the parent's key, or None when the parent is not
    among `nodes` (it is out of view, or gone), so that a walk ends there."""

    def parent_of(node: Node) -> Node | None:
        parent = parent_key(nodes[node])
        return parent if parent in nodes else None

    return parent_of


def ancestors(node: Node, parent_of: Callable[[Node], Node | None]) -> list[Node]:
    """From the node's parent up to the root, nearest first; `parent_of` answers None at
    a root. The walk stops before the first node it has met already (a loop)."""
    found: list[Node] = []
    seen = {node}
    current = parent_of(node)
    while current is not None and current not in seen:
        found.append(current)
        seen.add(current)
        current = parent_of(current)
    return found


def closes_loop(
    node: Node, new_parent: Node | None, parent_of: Callable[[Node], Node | None]
) -> bool:
    """True when hanging `node` under `new_parent` would make it its own ancestor: the
    new parent is the node itself or one of its descendants."""
    if new_parent is None:
        return False
    return new_parent == node or node in ancestors(new_parent, parent_of)


def subtree(roots: Iterable[Node], children: Mapping[Node, Iterable[Node]]) -> set[Node]:
    """The roots and every node below them."""
    return {node for node, _ in depth_first(roots, children)}


def depth_first(
    roots: Iterable[Node], children: Mapping[Node, Iterable[Node]]
) -> list[tuple[Node, int]]:
    """Every node below the roots once, with its depth (a root is 0), in depth-first
    order: each node before its children, children in the order given."""
    ordered: list[tuple[Node, int]] = []
    seen: set[Node] = set()
    stack = [(root, 0) for root in reversed(list(roots))]
    while stack:
        node, depth = stack.pop()
        if node in seen:
            continue
        seen.add(node)
        ordered.append((node, depth))
        stack.extend((child, depth + 1) for child in reversed(list(children.get(node, ()))))
    return ordered
