"""Reads of the organisation tree that need care."""

from lodestar.org.models import Membership, Unit


def unit_parents() -> dict[int, int | None]:
    """The whole tree in one query; organisations have at most a few thousand units."""
    return dict(Unit.objects.values_list("id", "parent_id"))


def subtree_ids(root_ids: set[int], parents: dict[int, int | None]) -> set[int]:
    children: dict[int | None, list[int]] = {}
    for unit_id, parent_id in parents.items():
        children.setdefault(parent_id, []).append(unit_id)
    found, stack = set(), list(root_ids)
    while stack:
        unit_id = stack.pop()
        if unit_id not in found:
            found.add(unit_id)
            stack.extend(children.get(unit_id, ()))
    return found


def ancestor_ids(unit_id: int, parents: dict[int, int | None]) -> list[int]:
    """From the unit's parent up to the root."""
    chain, current = [], parents.get(unit_id)
    while current is not None and current not in chain:
        chain.append(current)
        current = parents.get(current)
    return chain


def unit_lead(unit: Unit):
    membership = (
        Membership.objects.filter(unit=unit, role=Membership.Role.LEAD)
        .select_related("person")
        .first()
    )
    return membership.person if membership else None
