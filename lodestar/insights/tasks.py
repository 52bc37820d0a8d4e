"""The background refresh of a kept figure (`insights.kept`), on the "insights" queue:
one per stale figure at a time, claimed by the request that found it stale."""

from django.utils.module_loading import import_string
from django_tasks import task

from lodestar.insights import kept
from lodestar.org.models import Person
from lodestar.org.reader import Reader


@task(queue_name="insights")
def kept_refresh(
    *, figure: str, args: list, person_id: int | None, group: str, scope: list
) -> None:
    """Compute the figure again as the person who found it stale reads it, and keep it
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
