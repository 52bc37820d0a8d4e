"""The feeds, read live from what already exists: check-ins, comments, measure values and
the history's entries (new, carried and graded objectives, initiatives' status). Why not
an Activity table: every one of these is already written, with its time, by its own
service; a copy would need a hook in each of them, would miss everything written before
it, and could disagree with the original. One UNION query pages them all (each part
filtered by the reader's shown rows and the feed's scope), then one query per kind on the
page loads its items: the count of queries is bounded by the kinds, never the items.
"""

from dataclasses import dataclass
from datetime import datetime

from auditlog.models import LogEntry
from django.core.paginator import Page, Paginator
from django.db import models
from django.db.models import CharField, F, Q, QuerySet, Value
from django.urls import reverse

from lodestar.activity.models import Follow
from lodestar.audit.history import of_kind
from lodestar.conversation.models import Comment
from lodestar.conversation.selectors import Kind as Followable
from lodestar.conversation.selectors import kind_of
from lodestar.okrs.models import CheckIn, KeyResult, Objective
from lodestar.org.models import Person, Unit
from lodestar.org.permissions import reader_for
from lodestar.org.selectors import subtree_ids, unit_parents
from lodestar.strategy.models import Initiative, Measure, MeasureValue, StrategicObjective

PAGE_SIZE = 25

# The kinds a feed is filtered by: (slug, words).
KINDS = {
    "checkins": "Check-ins",
    "comments": "Comments",
    "status": "Status changes",
    "grades": "Grades",
    "values": "Measure values",
    "objectives": "New objectives",
    "carried": "Carried objectives",
}


# A kind of object one follows is described as a comment's target is (path, foreign key,
# page): `Followable` is the conversation's `Kind`, with Follow's foreign keys.
FOLLOWABLES = {
    followable.slug: followable
    for followable in (
        Followable("objectives", "objective", Objective, "objective"),
        Followable("key-results", "key_result", KeyResult, "key-result"),
        Followable(
            "strategic-objectives", "strategic_objective", StrategicObjective, "strategic-objective"
        ),
        Followable("measures", "measure", Measure, "measure"),
        Followable("units", "unit", Unit, "unit"),
    )
}


def followable_of(target: models.Model) -> Followable:
    return next(f for f in FOLLOWABLES.values() if isinstance(target, f.model))


# Following ------------------------------------------------------------------------------
def owns_or_commented(person: Person, target: models.Model) -> bool:
    """What one follows without asking: what one owns and what one commented on."""
    name = followable_of(target).field
    if name == "unit":
        return False
    if getattr(target, "owner_id", None) == person.pk:
        return True
    return Comment.objects.filter(author=person, **{name: target}).exists()


def is_following(person: Person, target: models.Model) -> bool:
    choice = Follow.objects.filter(person=person, **{followable_of(target).field: target}).first()
    return choice.following if choice else owns_or_commented(person, target)


def followed(person: Person, name: str, model: type[models.Model]) -> QuerySet:
    """The objects of `model` the person follows: chosen, owned or commented on, less
    those they stopped following."""
    choices = Follow.objects.filter(person=person, **{f"{name}__isnull": False})
    chosen = Q(pk__in=choices.filter(following=True).values(name))
    if name != "unit":
        chosen |= Q(owner=person)
        chosen |= Q(pk__in=Comment.objects.filter(author=person).values(name))
    stopped = choices.filter(following=False).values(name)
    return model.objects.filter(chosen).exclude(pk__in=stopped)


# Scopes: which objects a feed is about (None: all of them) ------------------------------
@dataclass(frozen=True)
class Scope:
    objectives: QuerySet | None = None
    key_results: QuerySet | None = None
    strategic_objectives: QuerySet | None = None
    measures: QuerySet | None = None
    initiatives: QuerySet | None = None


COMPANY = Scope()


def either(model: type[models.Model], *querysets: QuerySet) -> QuerySet:
    condition = Q(pk__in=querysets[0].values("pk"))
    for queryset in querysets[1:]:
        condition |= Q(pk__in=queryset.values("pk"))
    return model.objects.filter(condition)


def scope_of_units(unit_ids: set[int], chosen: dict[str, QuerySet] | None = None) -> Scope:
    """The units' OKRs and scorecards (each with its subtree), with the objects of
    `chosen` (by Scope field) followed on their own."""
    chosen = chosen or {}
    units = subtree_ids(unit_ids, unit_parents()) if unit_ids else set()

    def with_chosen(name: str, model: type[models.Model], rows: QuerySet) -> QuerySet:
        return either(model, rows, chosen[name]) if name in chosen else rows

    objectives = with_chosen("objectives", Objective, Objective.objects.filter(unit__in=units))
    held = KeyResult.objects.filter(holdings__objective__in=objectives.values("pk"))
    key_results = with_chosen("key_results", KeyResult, held)
    in_units = StrategicObjective.objects.filter(scorecard__unit__in=units)
    strategic = with_chosen("strategic_objectives", StrategicObjective, in_units)
    of_strategic = Measure.objects.filter(objective__in=strategic.values("pk"))
    measures = with_chosen("measures", Measure, of_strategic)
    initiatives = Initiative.objects.filter(strategic_objectives__in=strategic.values("pk"))
    return Scope(objectives, key_results, strategic, measures, initiatives)


def unit_scope(unit: Unit) -> Scope:
    return scope_of_units({unit.pk})


def person_scope(person: Person) -> Scope:
    units = set(followed(person, "unit", Unit).values_list("pk", flat=True))
    return scope_of_units(
        units,
        {
            "objectives": followed(person, "objective", Objective),
            "key_results": followed(person, "key_result", KeyResult),
            "strategic_objectives": followed(person, "strategic_objective", StrategicObjective),
            "measures": followed(person, "measure", Measure),
        },
    )


# Sources: one part of the UNION per kind ------------------------------------------------
def within(rows: QuerySet, path: str, scope_rows: QuerySet | None) -> QuerySet:
    return rows if scope_rows is None else rows.filter(**{f"{path}__in": scope_rows.values("pk")})


def entries(model: type[models.Model], shown: QuerySet, action: int) -> QuerySet:
    return LogEntry.objects.filter(of_kind(model), action=action, object_id__in=shown.values("pk"))


def sources(person: Person, scope: Scope) -> dict[str, QuerySet]:
    """Each kind's rows the reader may see within `scope`, with the time they happened."""
    reader = reader_for(person)
    objectives = within(reader.visible(Objective), "pk", scope.objectives)
    initiatives = within(reader.visible(Initiative), "pk", scope.initiatives)
    checkins = within(reader.visible(CheckIn), "key_result", scope.key_results)
    comments = reader.visible(Comment).filter(deleted_at__isnull=True)
    if scope is not COMPANY:
        comments = comments.filter(
            Q(objective__in=scope.objectives.values("pk"))
            | Q(key_result__in=scope.key_results.values("pk"))
            | Q(strategic_objective__in=scope.strategic_objectives.values("pk"))
            | Q(measure__in=scope.measures.values("pk"))
            | Q(initiative__in=scope.initiatives.values("pk"))
        )
    values = within(reader.visible(MeasureValue), "measure", scope.measures)
    created, changed = LogEntry.Action.CREATE, LogEntry.Action.UPDATE
    return {
        "checkins": checkins.values(at=F("created_at"), ref=F("pk")),
        "comments": comments.values(at=F("created_at"), ref=F("pk")),
        "status": entries(Initiative, initiatives, changed)
        .filter(changes__has_key="status")
        .values(at=F("timestamp"), ref=F("pk")),
        "grades": entries(Objective, objectives, changed)
        .filter(changes__has_key="final_grade")
        .values(at=F("timestamp"), ref=F("pk")),
        "values": values.values(at=F("recorded_at"), ref=F("pk")),
        "objectives": entries(
            Objective, objectives.filter(carried_from__isnull=True), created
        ).values(at=F("timestamp"), ref=F("pk")),
        "carried": entries(
            Objective, objectives.filter(carried_from__isnull=False), created
        ).values(at=F("timestamp"), ref=F("pk")),
    }


def merged(person: Person, scope: Scope, kinds: list[str]) -> QuerySet:
    """Every row of the chosen kinds as (kind, at, ref), newest first."""
    parts = [
        rows.order_by().annotate(kind=Value(kind, output_field=CharField()))
        for kind, rows in sources(person, scope).items()
        if kind in kinds
    ]
    first, *others = parts
    return (
        first.union(*others, all=True).order_by("-at", "kind", "-ref")
        if others
        else (first.order_by("-at", "-ref"))
    )


# Items ----------------------------------------------------------------------------------
@dataclass
class Item:
    kind: str
    at: datetime
    actor: Person | None
    target: models.Model | None  # the object it happened to
    words: str  # what happened, in a sentence without the actor
    detail: str = ""

    @property
    def url(self) -> str:
        return reverse(kind_of(self.target).page, args=[self.target.pk]) if self.target else ""


def checkin_items(refs: list[int]) -> dict[int, Item]:
    rows = CheckIn.objects.select_related("author", "key_result").in_bulk(refs)
    return {
        pk: Item(
            "checkins",
            c.created_at,
            c.author,
            c.key_result,
            f"checked in {c.value:g} {c.key_result.unit_label}".rstrip(),
            c.note,
        )
        for pk, c in rows.items()
    }


def comment_items(refs: list[int]) -> dict[int, Item]:
    rows = Comment.objects.select_related(
        "author", "objective", "key_result", "strategic_objective", "measure", "initiative"
    ).in_bulk(refs)
    return {
        pk: Item("comments", c.created_at, c.author, c.target, "commented", c.body)
        for pk, c in rows.items()
    }


def value_items(refs: list[int]) -> dict[int, Item]:
    rows = MeasureValue.objects.select_related("measure").in_bulk(refs)
    return {
        pk: Item(
            "values",
            v.recorded_at,
            None,
            v.measure,
            f"recorded {v.actual:g} for {v.period:%b %Y}",
        )
        for pk, v in rows.items()
    }


ENTRY_WORDS = {
    "status": "changed the status",
    "grades": "graded",
    "objectives": "wrote a new objective",
    "carried": "carried an objective into a new cycle",
}


# The field whose change an entry of the kind shows (its before and after).
CHANGED_FIELD = {"status": "status", "grades": "final_grade"}


def entry_items(kind: str, refs: list[int]) -> dict[int, Item]:
    rows = LogEntry.objects.select_related("actor").in_bulk(refs)
    model = Initiative if kind == "status" else Objective
    targets = model.objects.in_bulk([e.object_id for e in rows.values()])
    items = {}
    for pk, entry in rows.items():
        changed = CHANGED_FIELD.get(kind)
        change = (entry.changes or {}).get(changed) if changed else None
        detail = f"{change[0]} → {change[1]}" if change else ""
        items[pk] = Item(
            kind,
            entry.timestamp,
            entry.actor,
            targets.get(entry.object_id),
            ENTRY_WORDS[kind],
            detail,
        )
    return items


def load_items(rows: list[dict]) -> list[Item]:
    """The page's rows as items, one query per kind present."""
    refs: dict[str, list[int]] = {}
    for row in rows:
        refs.setdefault(row["kind"], []).append(row["ref"])
    loaded: dict[str, dict[int, Item]] = {}
    for kind, kind_refs in refs.items():
        if kind == "checkins":
            loaded[kind] = checkin_items(kind_refs)
        elif kind == "comments":
            loaded[kind] = comment_items(kind_refs)
        elif kind == "values":
            loaded[kind] = value_items(kind_refs)
        else:
            loaded[kind] = entry_items(kind, kind_refs)
    return [loaded[r["kind"]][r["ref"]] for r in rows if r["ref"] in loaded[r["kind"]]]


def chosen_kinds(raw: list[str]) -> list[str]:
    """The kinds asked for that exist; none asked (or none known): every kind."""
    kinds = [kind for kind in raw if kind in KINDS]
    return kinds or list(KINDS)


def feed_page(person: Person, scope: Scope, kinds: list[str], number) -> Page:
    """One page of the feed, newest first; `number` as typed (a bad one gives page 1 or
    the last). The page's `object_list` is its items."""
    page = Paginator(merged(person, scope, kinds), PAGE_SIZE).get_page(number)
    page.object_list = load_items(list(page.object_list))
    return page
