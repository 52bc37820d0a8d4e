"""Comments: posting, editing with history, deleting; hostile words; mentions that reach
only those who may see the object; notices batched a quarter hour; the pages and the API."""

import re
from datetime import timedelta

import pytest
import time_machine
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from lodestar.conftest import token_client
from lodestar.conversation.formatting import rendered
from lodestar.conversation.models import COMMENT_LENGTH, Comment, CommentNotice
from lodestar.conversation.notices import comment_notices_send
from lodestar.conversation.selectors import thread
from lodestar.conversation.services import comment_delete, comment_edit, comment_post
from lodestar.okrs.services import checkin_create, key_result_create, objective_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def public(world):
    return objective_create(
        acting=None, cycle=world.cycle, title="Grow sales", unit=world.sales, owner=world.lead
    )


@pytest.fixture
def private(world):
    return objective_create(
        acting=None,
        cycle=world.cycle,
        title="Quietly fix churn",
        owner=world.member,
        visibility="private",
    )


# Posting, editing, deleting -------------------------------------------------------------
def test_post_edit_with_history_and_delete(world, public):
    posted = comment_post(acting=world.member, target=public, body="Why did **churn** jump?")
    comment = posted.comment
    assert comment.target == public and comment.author == world.member

    comment_edit(acting=world.member, comment=comment, body="Why did churn jump in May?")
    comment.refresh_from_db()
    assert comment.edited_at is not None
    changes = LogEntry.objects.get_for_object(comment).order_by("timestamp")
    assert [entry.changes_dict.get("body") for entry in changes][-1] == [
        "Why did **churn** jump?",
        "Why did churn jump in May?",
    ]

    comment_delete(acting=world.member, comment=comment)
    comment.refresh_from_db()
    assert comment.deleted and comment.body == ""
    assert list(thread(world.lead, public)) == [comment]  # still in the thread, as deleted


def test_only_the_author_edits_and_admins_may_delete(world, public):
    comment = comment_post(acting=world.member, target=public, body="Mine").comment
    with pytest.raises(PermissionDenied):
        comment_edit(acting=world.lead, comment=comment, body="Not yours")
    with pytest.raises(PermissionDenied):
        comment_edit(acting=world.admin, comment=comment, body="Not the admin's either")
    with pytest.raises(PermissionDenied):
        comment_delete(acting=world.lead, comment=comment)
    comment_delete(acting=world.admin, comment=comment)
    assert Comment.objects.get(pk=comment.pk).deleted


@pytest.mark.parametrize(
    ("body", "message"),
    [("   ", "Write something"), ("x" * (COMMENT_LENGTH + 1), "at most"), ("a\x00b", "NUL")],
)
def test_bad_words_are_refused_and_nothing_is_written(world, public, body, message):
    with pytest.raises(ValidationError, match=message):
        comment_post(acting=world.member, target=public, body=body)
    assert not Comment.objects.exists()


def test_a_viewer_and_an_outsider_of_a_private_objective_may_not_post(world, public, private):
    with pytest.raises(PermissionDenied):
        comment_post(acting=world.viewer, target=public, body="Hello")
    with pytest.raises(PermissionDenied):
        comment_post(acting=world.outsider, target=private, body="Hello")


def test_a_reply_to_a_check_in_of_another_key_result_is_refused(world, public):
    first = key_result_create(
        acting=None, objective=public, title="A", owner=world.member, target=10
    )
    second = key_result_create(
        acting=None, objective=public, title="B", owner=world.member, target=10
    )
    checkin = checkin_create(
        acting=None, key_result=first, value=3, confidence=7, author=world.member
    )
    with pytest.raises(ValidationError, match="not one of this key result"):
        comment_post(acting=world.lead, target=second, body="Hm", checkin=checkin)
    answer = comment_post(acting=world.lead, target=first, body="Why 3?", checkin=checkin)
    assert answer.comment.checkin == checkin
    # Replying to their check-in tells its author.
    assert CommentNotice.objects.get().person == world.member


# Hostile words --------------------------------------------------------------------------
@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        "[click](javascript:alert(1))",
        '<a href="javascript:alert(1)">x</a>',
        "<img src=x onerror=alert(1)>",
        "[x](JaVaScRiPt:alert(1))",
        '<iframe src="https://evil.example"></iframe>',
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
    ],
)
def test_hostile_words_render_as_text(hostile):
    html = rendered(hostile)
    # Every tag left is a paragraph: the hostile parts are text, escaped.
    assert set(re.findall(r"<(\w+)", html)) == {"p"}


def test_the_safe_subset_is_kept():
    html = rendered("**bold** _it_ [site](https://example.org)\n\n- one\n- two")
    assert "<strong>bold</strong>" in html and "<em>it</em>" in html
    assert '<a href="https://example.org" rel="nofollow noopener">site</a>' in html
    assert "<ul>" in html and "<li>one</li>" in html


# Mentions and notices -------------------------------------------------------------------
def test_a_mention_of_someone_who_may_not_see_tells_nobody_and_the_writer(world, private):
    posted = comment_post(
        acting=world.member, target=private, body="@outsider @lead what do you think?"
    )
    assert [p.username for p in posted.unreached] == ["outsider"]
    # The lead of the member's unit sees the private objective? Only if they lead its owner.
    told = set(CommentNotice.objects.values_list("person__username", flat=True))
    assert "outsider" not in told


def test_mention_reply_and_owner_are_each_told_once(world, public):
    first = comment_post(acting=world.member, target=public, body="Hi @lead").comment
    assert list(CommentNotice.objects.values_list("person__username", "reason")) == [
        ("lead", "mention")
    ]
    comment_post(acting=world.lead, target=public, body="Answer", reply_to=first)
    assert CommentNotice.objects.filter(person=world.member, reason="reply").count() == 1
    # The owner (lead) is not told of their own comment.
    assert CommentNotice.objects.filter(person=world.lead).count() == 1


def test_two_mentions_in_ten_minutes_make_one_message(world, public, mailoutbox):
    world.lead.email = "lead@example.org"
    world.lead.save()
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        comment_post(acting=world.member, target=public, body="@lead first")
    with time_machine.travel(start + timedelta(minutes=10), tick=False):
        comment_post(acting=world.strat, target=public, body="@lead second")
        assert comment_notices_send() == 0  # the first has waited ten minutes only
    with time_machine.travel(start + timedelta(minutes=15), tick=False):
        assert comment_notices_send() == 1
        assert comment_notices_send() == 0
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["lead@example.org"]
    assert "first" in mailoutbox[0].body and "second" in mailoutbox[0].body
    with time_machine.travel(start + timedelta(minutes=20), tick=False):
        comment_post(acting=world.member, target=public, body="@lead third")
    with time_machine.travel(start + timedelta(minutes=35), tick=False):
        assert comment_notices_send() == 1
    assert len(mailoutbox) == 2 and "third" in mailoutbox[1].body


def test_a_deleted_comment_is_not_sent(world, public, mailoutbox):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        comment = comment_post(acting=world.member, target=public, body="@lead oops").comment
        comment_delete(acting=world.member, comment=comment)
    with time_machine.travel(start + timedelta(minutes=16), tick=False):
        comment_notices_send()
    assert mailoutbox == []


# Pages and API ----------------------------------------------------------------------------
def test_the_page_shows_the_thread_and_posts(world, public, signed_in):
    client = signed_in(world.member)
    page = reverse("objective", args=[public.pk])
    answer = client.post(
        reverse("objective-comments", args=[public.pk]),
        {"body": "See <script>alert(1)</script> @outsider"},
    )
    assert answer.status_code == 302
    html = client.get(page).content.decode()
    assert "&lt;script&gt;" in html and "<script>alert" not in html
    assert 'id="comment-form"' in html


def test_a_private_objective_thread_is_hidden_everywhere(world, private, signed_in):
    comment = comment_post(acting=world.member, target=private, body="Secret words").comment
    outsider = signed_in(world.outsider)
    assert (
        outsider.post(reverse("objective-comments", args=[private.pk]), {"body": "x"}).status_code
        == 404
    )
    assert (
        outsider.get(reverse("objective-comment-people", args=[private.pk]), {"q": "m"}).status_code
        == 404
    )
    assert outsider.get(reverse("comment-edit", args=[comment.pk])).status_code == 404
    assert outsider.post(reverse("comment-delete", args=[comment.pk])).status_code == 404
    api = token_client(world.outsider)
    assert api.get(f"/api/v1/objectives/{private.pk}/comments").status_code == 404
    assert (
        api.patch(
            f"/api/v1/comments/{comment.pk}", {"body": "x"}, content_type="application/json"
        ).status_code
        == 404
    )


def test_completion_lists_only_people_who_may_see(world, private, signed_in):
    answer = signed_in(world.member).get(
        reverse("objective-comment-people", args=[private.pk]), {"q": ""}
    )
    names = {p["username"] for p in answer.json()["people"]}
    assert "outsider" not in names and "member" not in names and "admin" in names


def test_the_api_posts_lists_edits_and_deletes(world, public, private):
    api = token_client(world.member)
    answer = api.post(
        f"/api/v1/objectives/{public.pk}/comments",
        {"body": "Hi @lead and @nobody"},
        content_type="application/json",
    )
    assert answer.status_code == 201, answer.content
    comment = answer.json()
    assert comment["unreached"] == [] and "<p>" in comment["html"]
    listed = api.get(f"/api/v1/objectives/{public.pk}/comments").json()
    assert [c["id"] for c in listed] == [comment["id"]]
    edited = api.patch(
        f"/api/v1/comments/{comment['id']}", {"body": "Edited"}, content_type="application/json"
    )
    assert edited.status_code == 200 and edited.json()["body"] == "Edited"
    assert api.delete(f"/api/v1/comments/{comment['id']}").status_code == 204
    listed = api.get(f"/api/v1/objectives/{public.pk}/comments").json()
    assert listed[0]["deleted"] and listed[0]["body"] == ""
    refused = api.post(
        f"/api/v1/objectives/{private.pk}/comments",
        {"body": "@outsider look"},
        content_type="application/json",
    )
    assert refused.status_code == 201 and refused.json()["unreached"] == ["outsider"]


def test_the_page_tells_the_writer_whom_a_mention_did_not_reach(world, private, signed_in):
    answer = signed_in(world.member).post(
        reverse("objective-comments", args=[private.pk]),
        {"body": "Thoughts, @outsider?"},
        follow=True,
    )
    assert "Nobody was told about @outsider" in answer.content.decode()
    assert not CommentNotice.objects.filter(person=world.outsider).exists()
