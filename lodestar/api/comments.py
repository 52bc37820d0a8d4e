"""The threads under objectives, key results, strategic objectives, measures and
initiatives: list and post per object, edit and delete one's own comment. A comment is
seen by exactly those who see its object (404 for everyone else)."""

from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from lodestar.api.crud import ERRORS, Id, Text
from lodestar.conversation.formatting import rendered
from lodestar.conversation.models import COMMENT_LENGTH, Comment
from lodestar.conversation.selectors import KINDS, Kind, thread
from lodestar.conversation.services import Posted, comment_delete, comment_edit, comment_post
from lodestar.okrs.models import CheckIn
from lodestar.org.permissions import Action
from lodestar.strategy.models import MeasureValue

router = Router(tags=["comments"])


class CommentOut(Schema):
    id: int
    author: str | None = Field(description="The writer's username.")
    body: str = Field(description="The words as written; empty once deleted.")
    html: str = Field(description="The words as shown: the safe subset, sanitised.")
    checkin: int | None = Field(None, validation_alias="checkin_id")
    measure_value: int | None = Field(None, validation_alias="measure_value_id")
    reply_to: int | None = Field(None, validation_alias="reply_to_id")
    created_at: datetime
    edited_at: datetime | None
    deleted: bool

    @staticmethod
    def resolve_author(comment: Comment) -> str | None:
        return comment.author.username if comment.author else None

    @staticmethod
    def resolve_html(comment: Comment) -> str:
        return str(rendered(comment.body))


class PostedOut(CommentOut):
    unreached: list[str] = Field(
        description="Usernames mentioned who may not see the object: nobody was told."
    )


class CommentIn(Schema):
    body: Text(COMMENT_LENGTH) = Field(description="Markdown: bold, italic, links and lists.")
    checkin: Id | None = Field(None, description="On a key result: the check-in answered.")
    measure_value: Id | None = Field(None, description="On a measure: the period's value.")
    reply_to: Id | None = Field(None, description="The comment of this thread answered.")


class CommentPatch(Schema):
    body: Text(COMMENT_LENGTH)


def posted_out(posted: Posted) -> Comment:
    posted.comment.unreached = [person.username for person in posted.unreached]
    return posted.comment


def optional(request: HttpRequest, model, pk: int | None):
    return None if pk is None else request.reader.load(model, pk)


def add_thread(kind: Kind) -> None:
    @router.get(
        f"/{kind.slug}/{{id}}/comments",
        response={200: list[CommentOut], **ERRORS},
        operation_id=f"{kind.field}_comments_list",
        summary=f"The comments on a {kind.field.replace('_', ' ')}, oldest first",
    )
    def list_comments(request: HttpRequest, id: Id):
        """Every comment of the thread, a deleted one with its words gone; 404 when the
        caller may not see the object."""
        target = request.reader.load(kind.model, id)
        return thread(request.auth, target)

    @router.post(
        f"/{kind.slug}/{{id}}/comments",
        response={201: PostedOut, **ERRORS},
        operation_id=f"{kind.field}_comment_post",
        summary=f"Comment on a {kind.field.replace('_', ' ')}",
    )
    def post_comment(request: HttpRequest, id: Id, payload: CommentIn):
        """@username mentions tell those who may see the object; the others are listed in
        `unreached` and told nothing."""
        target = request.reader.load(kind.model, id)
        posted = comment_post(
            acting=request.auth,
            target=target,
            body=payload.body,
            checkin=optional(request, CheckIn, payload.checkin),
            measure_value=optional(request, MeasureValue, payload.measure_value),
            reply_to=optional(request, Comment, payload.reply_to),
        )
        return Status(201, posted_out(posted))


for each_kind in KINDS.values():
    add_thread(each_kind)


@router.patch(
    "/comments/{id}",
    response={200: PostedOut, **ERRORS},
    operation_id="comment_edit",
    summary="Edit one's own comment (the words before stay in its history)",
)
def edit_comment(request: HttpRequest, id: Id, payload: CommentPatch):
    """Only the writer edits (403 for anyone else); someone newly mentioned is told, and
    `unreached` names those who may not see the object."""
    comment = request.reader.load(Comment, id, Action.CHANGE)
    return posted_out(comment_edit(acting=request.auth, comment=comment, body=payload.body))


@router.delete(
    "/comments/{id}",
    response={204: None, **ERRORS},
    operation_id="comment_delete",
    summary="Delete one's own comment (admins: anyone's); the thread says 'comment deleted'",
)
def delete_comment(request: HttpRequest, id: Id):
    """Answers 204 once the words are gone; 403 when the caller may not delete it."""
    comment = request.reader.load(Comment, id, Action.DELETE)
    comment_delete(acting=request.auth, comment=comment)
    return Status(204, None)
