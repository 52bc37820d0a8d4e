"""Reads of the organisation tree that need care."""

from lodestar import tree
from lodestar.org.models import Membership, Unit


def unit_parents() -> dict[int, int | None]:
    """The whole tree in one query; organisations have at most a few thousand units."""
    return dict(Unit.objects.values_list("id", "parent_id"))


def subtree_ids(root_ids: set[int], parents: dict[int, int | None]) -> set[int]:
    """The units and every unit below them."""
    return tree.subtree(root_ids, tree.children_of(parents))


def ancestor_ids(unit_id: int, parents: dict[int, int | None]) -> list[int]:
    """From the unit's parent up to the root."""
    return tree.ancestors(unit_id, parents.get)


def unit_lead(unit: Unit):
    membership = (
        Membership.objects.filter(unit=unit, role=Membership.Role.LEAD)
        .select_related("person")
        .first()
    )
    return membership.person if membership else None
