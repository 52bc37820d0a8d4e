"""One door in (issue 20, finding 17): every read goes through the reader of the person
looking, built once; its rules are registered by model, not by a class's name; a kept
figure's key always names the reader's group.
"""

import ast
from pathlib import Path

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.http import Http404

from lodestar.insights import kept as kept_module
from lodestar.insights.models import InsightCache
from lodestar.okrs.models import Cycle, Objective
from lodestar.okrs.services import objective_create
from lodestar.org.models import Person
from lodestar.org.permissions import Action
from lodestar.org.reader import Reader, UnregisteredModel
from lodestar.org.services import person_create, person_update

PACKAGE = Path(__file__).resolve().parents[2]


@pytest.fixture
def private(world):
    return objective_create(
        acting=None,
        cycle=world.cycle,
        title="Quietly fix pricing",
        owner=world.member,
        visibility="private",
    )


def test_a_hidden_object_is_not_found_and_a_forbidden_one_is_refused(world, private):
    assert Reader.for_person(world.member).load(Objective, private.pk) == private
    with pytest.raises(Http404):
        Reader.for_person(world.outsider).load(Objective, private.pk)
    with pytest.raises(PermissionDenied):
        Reader.for_person(world.viewer).load(Cycle, world.cycle.pk, Action.CHANGE)


def test_a_reader_who_may_not_read_finds_no_cycle_and_no_person(world):
    gone = person_create(acting=None, username="gone", password="pw")
    person_update(acting=None, person=gone, is_active=False)
    reader = Reader.for_person(gone)
    for model, pk in ((Cycle, world.cycle.pk), (Person, world.member.pk)):
        with pytest.raises(Http404):
            reader.load(model, pk)


def test_the_reports_answer_404_for_what_the_reader_may_not_see(world, client, private):
    client.force_login(world.outsider)
    assert client.get(f"/cycles/{world.cycle.pk + 1000}/report/").status_code == 404
    assert client.get(f"/people/{world.member.pk + 1000}/report/").status_code == 404
    # The owner of a private objective is a colleague like any other: the summary is
    # shown, without the objective.
    answer = client.get(f"/people/{world.member.pk}/report/")
    assert answer.status_code == 200 and "Quietly fix pricing" not in answer.content.decode()


def test_one_reader_a_request(world, client):
    client.force_login(world.member)
    answer = client.get("/")
    request = answer.wsgi_request
    assert isinstance(request.reader, Reader) and request.reader.person == world.member
    assert Reader.for_person(request.user) is request.reader


def test_a_renamed_model_keeps_its_rules(world, private):
    Objective.__name__ = "Goal"  # as if the class were renamed
    try:
        assert Reader.for_person(world.member).can(Action.VIEW, private)
        assert not Reader.for_person(world.outsider).can(Action.VIEW, private)
    finally:
        Objective.__name__ = "Objective"


def test_every_model_has_a_rule_or_is_read_by_no_surface():
    """A model without a rule would be denied even to its readers: say so here, loudly."""
    unread = {
        "org.Change",  # the change log, read by insights.kept
        "insights.InsightCache",  # kept figures, read through reader.kept
        "scores.StrategyOwed",  # the roll-up's queue
        "exchange.ImportKey",  # the importer's memory of keys
        "notify.WebhookAttempt",  # read with its delivery
        "notify.NotificationPreference",  # one's own, through the person's rule
        "notify.UnitChannel",  # a unit's, through the unit's rule
        "notify.Notification",  # the outbox
        "reports.ReviewComment",  # read with its cycle's review
        "reports.ReviewSnapshot",  # read with its cycle's review
        "scim.ScimClient",  # a provider's token: its own requests and `lodestar scim`
        "scim.ScimIdentity",  # read with its person or unit by the provider's SCIM calls
        "api.IdempotentRequest",  # a POST's first answer, replayed to the same person only
        "jobs.WorkerBeat",  # the workers' heartbeats, read by /health
        "jobs.Periodic",  # the scheduler's turns
        "chat.UsedCheckinLink",  # a one-click link's nonce, asked only whether it is used
        "chat.SlackIdentity",  # who a Slack request is, found by Slack's team and user ids
        "chat.SeenSlackRequest",  # the Slack signatures of the replay window
        "conversation.Mention",  # read with its comment, through the comment's rule
        "conversation.CommentNotice",  # one's own outbox of comments, re-asked when sent
        "activity.Follow",  # one's own follows, read by one's own feed
    }
    lodestar = [m for m in apps.get_models() if m.__module__.startswith("lodestar.")]
    missing = [
        m._meta.label for m in lodestar if not Reader.has_rule(m) and m._meta.label not in unread
    ]
    assert missing == []


def test_an_unregistered_model_is_denied_loudly(world):
    with pytest.raises(UnregisteredModel):
        Reader.for_person(world.admin).can(Action.VIEW, InsightCache())


def test_no_surface_loads_an_object_past_the_reader():
    """`get_object_or_404` (or a local "404 if hidden, 403 if not allowed") is the
    reader's job: pages, the API, reports, sources, exchange and history ask it."""
    surfaces = ["web", "api", "reports", "sources", "exchange", "notify", "chat"]
    found = []
    for surface in surfaces:
        for path in (PACKAGE / surface).rglob("*.py"):
            if "tests" in path.parts or "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.Name) and node.id == "get_object_or_404":
                    found.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert found == []


def whose(person, label: str) -> str:
    """A kept figure (module level, as every figure is) that says whose it is."""
    return f"{person.username}'s {label}"


def test_a_kept_figure_always_names_the_readers_group(world, private):
    member, outsider = Reader.for_person(world.member), Reader.for_person(world.outsider)
    assert member.group != outsider.group  # the member sees a private objective
    assert member.kept(whose, "figure") == "member's figure"
    assert outsider.kept(whose, "figure") == "outsider's figure"
    keys = list(InsightCache.objects.values_list("key", flat=True))
    assert len(keys) == 2 and all(k.endswith((member.group, outsider.group)) for k in keys)
    with pytest.raises(AttributeError):  # the old way, a key of the caller's making, is gone
        kept_module.kept("figure:company", lambda: "anyone's")
