"""The feeds (one's own, a unit's, the company's), newest first, a page at a time and
filtered by kind, and following an object. Each item is one the caller may see."""

from datetime import datetime

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from lodestar.activity.selectors import (
    COMPANY,
    FOLLOWABLES,
    KINDS,
    Followable,
    Item,
    Scope,
    chosen_kinds,
    feed_page,
    person_scope,
    unit_scope,
)
from lodestar.activity.services import follow_set
from lodestar.api.crud import ERRORS, Id
from lodestar.conversation.selectors import kind_of
from lodestar.org.models import Unit

router = Router(tags=["activity"])


class TargetOut(Schema):
    type: str = Field(description="objective, key_result, strategic_objective, measure, initiative")
    id: int
    title: str


class ItemOut(Schema):
    kind: str = Field(description=f"One of: {', '.join(KINDS)}.")
    at: datetime
    actor: str | None = Field(description="The username of who did it; none for Lodestar.")
    words: str = Field(description="What happened, without who did it.")
    detail: str = Field(description="A check-in's note, a comment's words, a change's values.")
    target: TargetOut | None

    @staticmethod
    def resolve_actor(item: Item) -> str | None:
        return item.actor.username if item.actor else None

    @staticmethod
    def resolve_target(item: Item) -> dict | None:
        if item.target is None:
            return None
        return {"type": kind_of(item.target).field, "id": item.target.pk, "title": str(item.target)}


class FeedOut(Schema):
    count: int = Field(description="Items of the chosen kinds the caller may see, in all.")
    page: int
    pages: int
    items: list[ItemOut]


class FeedQuery(Schema):
    kind: list[str] = Field(default_factory=list, description="Kinds to keep; none: all.")
    page: int = Field(1, ge=1, le=100_000)


class FollowOut(Schema):
    following: bool


def feed_out(request: HttpRequest, scope: Scope, query: FeedQuery) -> dict:
    page = feed_page(request.auth, scope, chosen_kinds(query.kind), query.page)
    return {
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "items": page.object_list,
    }


@router.get(
    "/activity",
    response={200: FeedOut, **ERRORS},
    operation_id="activity_mine",
    summary="What happened to what the caller follows, newest first",
)
def mine(request: HttpRequest, query: Query[FeedQuery]):
    """What one owns, commented on or chose to follow (a unit: its OKRs, scorecards and
    the units below), less what one stopped following; each item one the caller may see."""
    return feed_out(request, person_scope(request.auth), query)


@router.get(
    "/activity/company",
    response={200: FeedOut, **ERRORS},
    operation_id="activity_company",
    summary="What happened across the company, newest first",
)
def company(request: HttpRequest, query: Query[FeedQuery]):
    """Every item the caller may see; an item on a private objective is not even counted
    for anyone else."""
    return feed_out(request, COMPANY, query)


@router.get(
    "/units/{id}/activity",
    response={200: FeedOut, **ERRORS},
    operation_id="activity_unit",
    summary="What happened in a unit and the units below it, newest first",
)
def unit(request: HttpRequest, id: Id, query: Query[FeedQuery]):
    """The unit's and its sub-units' OKRs and scorecards, each item one the caller may
    see."""
    return feed_out(request, unit_scope(request.reader.load(Unit, id)), query)


def add_follow(followable: Followable) -> None:
    words = followable.field.replace("_", " ")

    @router.post(
        f"/{followable.slug}/{{id}}/follow",
        response={200: FollowOut, **ERRORS},
        operation_id=f"{followable.field}_follow",
        summary=f"Follow a {words}: its activity joins the caller's feed",
    )
    def follow(request: HttpRequest, id: Id):
        """Following something one may not see answers 404, as reading it would."""
        target = request.reader.load(followable.model, id)
        return follow_set(acting=request.auth, target=target, following=True)

    @router.delete(
        f"/{followable.slug}/{{id}}/follow",
        response={200: FollowOut, **ERRORS},
        operation_id=f"{followable.field}_unfollow",
        summary=f"Stop following a {words} (one's own too)",
    )
    def unfollow(request: HttpRequest, id: Id):
        """Kept as a choice: what one owns or commented on stays out of one's feed."""
        target = request.reader.load(followable.model, id)
        return follow_set(acting=request.auth, target=target, following=False)


for each in FOLLOWABLES.values():
    add_follow(each)
