"""Reads of the organisation tree that need care."""

from django.db import connection
from django.db.models.expressions import RawSQL

from lodestar import tree
from lodestar.org.models import Membership, Person, Unit


def unit_parents() -> dict[int, int | None]:
    """The whole tree in one query; organisations have at most a few thousand units."""
    return dict(Unit.objects.values_list("id", "parent_id"))


def subtree_ids(root_ids: set[int], parents: dict[int, int | None]) -> set[int]:
    """The units and every unit below them."""
    return tree.subtree(root_ids, tree.children_of(parents))


def units_led_by(person_id: int) -> RawSQL:
    """The units the person leads with every unit below them, as a subquery for `__in`:
    the rows are picked inside the query that needs them. Written out as literal ids, the
    company lead's thousand units (and ten thousand reports) cost a query several times
    its own work to send and plan. Standard SQL, the same on SQLite and PostgreSQL; UNION
    ends a corrupt loop in the tree."""
    units = connection.ops.quote_name(Unit._meta.db_table)
    memberships = connection.ops.quote_name(Membership._meta.db_table)
    return RawSQL(
        f"WITH RECURSIVE led(id) AS ("
        f" SELECT unit_id FROM {memberships} WHERE person_id = %s AND role = %s"
        f" UNION SELECT u.id FROM {units} u JOIN led ON u.parent_id = led.id"
        f") SELECT id FROM led",
        [person_id, Membership.Role.LEAD.value],
    )


def people_below(person_id: int) -> RawSQL:
    """Everyone below the person in the management chain, as a subquery for `__in` (see
    `units_led_by`); UNION, not UNION ALL, so a corrupt loop in the chain ends instead of
    recursing for ever."""
    people = connection.ops.quote_name(Person._meta.db_table)
    return RawSQL(
        f"WITH RECURSIVE below(id) AS ("
        f" SELECT id FROM {people} WHERE manager_id = %s"
        f" UNION SELECT p.id FROM {people} p JOIN below b ON p.manager_id = b.id"
        f") SELECT id FROM below",
        [person_id],
    )


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
