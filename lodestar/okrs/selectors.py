"""Reads of OKRs that need care: which objectives and key results a person may see,
as querysets (for lists, without a query per row). They agree with
`lodestar.org.permissions` (`Access.sees_private`), which decides for one object."""

from django.db.models import Q, QuerySet

from lodestar.okrs.models import CheckIn, KeyResult, Objective, ObjectiveKeyResult
from lodestar.org.models import Membership, Person
from lodestar.org.permissions import access_for


def reports_of(person: Person) -> set[int]:
    """Everyone below the person in the management chain (one query)."""
    children: dict[int, list[int]] = {}
    for pk, manager_id in Person.objects.values_list("pk", "manager_id"):
        if manager_id is not None:
            children.setdefault(manager_id, []).append(pk)
    found: set[int] = set()
    stack = list(children.get(person.pk, ()))
    while stack:
        pk = stack.pop()
        if pk not in found:
            found.add(pk)
            stack.extend(children.get(pk, ()))
    return found


def visible_objectives(person: Person) -> QuerySet[Objective]:
    access = access_for(person)
    if not access.active:
        return Objective.objects.none()
    if access.is_admin:
        return Objective.objects.all()
    led_members = Membership.objects.filter(unit__in=access.lead_units).values("person")
    return Objective.objects.filter(
        Q(visibility=Objective.Visibility.PUBLIC)
        | Q(owner=person)
        | Q(unit__in=access.lead_units)
        | Q(unit__isnull=True, owner__in=led_members)
        | Q(owner__in=reports_of(person))
    )


def visible_key_results(person: Person) -> QuerySet[KeyResult]:
    access = access_for(person)
    if not access.active:
        return KeyResult.objects.none()
    if access.is_admin:
        return KeyResult.objects.all()
    held = ObjectiveKeyResult.objects.filter(objective__in=visible_objectives(person))
    return KeyResult.objects.filter(Q(owner=person) | Q(pk__in=held.values("key_result")))


def visible_checkins(person: Person) -> QuerySet[CheckIn]:
    return CheckIn.objects.filter(key_result__in=visible_key_results(person))
