"""The background computations of kept figures (`insights.kept`), on the "insights" queue:
one per figure at a time, claimed by the request that found it stale or missing, or by
`kept.warm` after a run that changed everything."""

from django.utils.module_loading import import_string
from django_tasks import task

from lodestar.insights import kept
from lodestar.org.models import Membership, Person
from lodestar.org.reader import Reader


@task(queue_name="insights")
def kept_refresh(
    *, figure: str, args: list, person_id: int | None, group: str, scope: list
) -> None:
    """Compute the figure again as the person who asked for it reads it, and keep it
    under the same key. A person whose group has moved on since (a private objective
    shared or closed) reads another key now: the claimed row is only let go."""
    person = Person.objects.filter(pk=person_id).first() if person_id is not None else None
    reader = Reader.for_person(person)
    function = import_string(figure)
    if reader.group != group:
        kept.release(kept.key_of(group, function, tuple(args)))
        return
    unit, cycle, months = scope
    kept.compute_and_keep(reader, function, tuple(args), kept.Scope(unit, cycle, months))


def first_readers() -> list[Person]:
    """Whose first pages are warmed: the company's lead (the root unit's) and an admin."""
    lead = (
        Person.objects.filter(
            is_active=True,
            memberships__role=Membership.Role.LEAD,
            memberships__unit__parent=None,
        )
        .order_by("pk")
        .first()
    )
    admin = Person.objects.filter(is_active=True, role=Person.Role.ADMIN).order_by("pk").first()
    return [person for person in (lead, admin) if person is not None]


@task(queue_name="insights")
def kept_first_reads() -> None:
    """The figures of the first pages (`kept.FIRST_READS`) of the company's first readers:
    computed here, in the worker, when nothing fresh is kept for them."""
    for person in first_readers():
        for read in kept.FIRST_READS:
            read(person)
