"""People and units managed in the app (issue 23): invitations, leaving, closing a unit."""

import pytest
from auditlog.models import LogEntry
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from lodestar.okrs.models import KeyResult
from lodestar.okrs.services import key_result_create, objective_create
from lodestar.org.invitations import invitation_tokens, read_rows
from lodestar.org.models import Membership, Person, Unit
from lodestar.org.services import (
    person_deactivate,
    person_invite,
    person_invite_again,
    person_invite_many,
    person_reactivate,
    person_update,
    unit_close,
    unit_create,
)
from lodestar.strategy.models import Scorecard


def test_an_invitation_makes_a_person_without_a_password_and_mails_a_link(world, settings):
    settings.SITE_URL = "https://okr.example.com"
    person = person_invite(
        acting=world.admin,
        email="Ada@Example.com",
        first_name="Ada",
        last_name="Lovelace",
        units=[world.sales],
    )
    assert person.username == "ada@example.com"
    assert not person.has_usable_password()
    assert Membership.objects.get(person=person).unit == world.sales
    [message] = mail.outbox
    assert message.to == ["Ada@example.com"]  # the domain in lower case, as saved
    assert "https://okr.example.com/invitation/" in message.body
    token = message.body.split("/invitation/")[1].split()[0].rstrip("/").split("/")[1]
    assert invitation_tokens.check_token(person, token)
    entry = LogEntry.objects.get_for_object(person).filter(changes__has_key="invitation").get()
    assert entry.actor == world.admin


def test_only_the_admin_invites(world):
    for someone in (world.strat, world.lead, world.member):
        with pytest.raises(PermissionDenied):
            person_invite(acting=someone, email="x@example.com")
    assert not Person.objects.filter(email="x@example.com").exists()
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"email": "MEMBER@example.com"}, "email"),  # taken, in another case
        ({"email": "not an address"}, "email"),
        ({"email": ""}, "email"),
        ({"email": "long@example.com", "first_name": "x" * 10_000}, "first_name"),
        ({"email": "role@example.com", "role": "emperor"}, "role"),
    ],
)
def test_a_bad_invitation_is_refused_by_field_and_writes_nothing(world, fields, field):
    person_update(acting=None, person=world.member, email="member@example.com")
    before = Person.objects.count()
    with pytest.raises(ValidationError) as error:
        person_invite(acting=world.admin, **fields)
    assert field in error.value.message_dict
    assert Person.objects.count() == before
    assert mail.outbox == []


def test_an_invitation_is_sent_again_only_while_no_password_was_chosen(world):
    person = person_invite(acting=world.admin, email="bo@example.com")
    person_invite_again(acting=world.admin, person=person)
    assert len(mail.outbox) == 2
    person.set_password("chosen-123")
    person.save()
    with pytest.raises(ValidationError, match="chosen a password"):
        person_invite_again(acting=world.admin, person=person)
    with pytest.raises(PermissionDenied):
        person_invite_again(acting=world.strat, person=person)


LIST = """email,first name,last name,role,unit
ann@example.com,Ann,Archer,member,sales
ben@example.com,Ben,Baker,Strategy office,
"""


def test_a_list_is_invited_whole_with_a_header_in_any_case(world):
    people = person_invite_many(acting=world.admin, rows=read_rows(LIST))
    assert [(p.username, p.role) for p in people] == [
        ("ann@example.com", "member"),
        ("ben@example.com", "strategy_office"),
    ]
    assert Membership.objects.get(person__username="ann@example.com").unit == world.sales
    assert sorted(m.to[0] for m in mail.outbox) == ["ann@example.com", "ben@example.com"]


def test_a_pasted_list_without_header_reads_by_position_and_tabs():
    rows = read_rows("cy@example.com\tCy\tCole\n\n  dee@example.com  \n")
    assert [(r["email"], r["first_name"], r["line"]) for r in rows] == [
        ("cy@example.com", "Cy", 1),
        ("dee@example.com", "", 3),
    ]


def test_a_list_with_one_bad_row_writes_nothing_and_names_every_refusal(world):
    person_update(acting=None, person=world.member, email="member@example.com")
    text = LIST + (
        "Member@Example.com,Dup,Licate,member,\n"
        "eve@example.com,Eve,,member,Marketing\n"
        "ann@example.com,Ann,Again,,\n"
        f"fay@example.com,{'F' * 10_000},,viewer,\n"
        "gus@example.com,Gus,,emperor,\n"
    )
    with pytest.raises(ValidationError) as error:
        person_invite_many(acting=world.admin, rows=read_rows(text))
    refusals = error.value.message_dict["people"]
    assert refusals[0] == "Row 4, email: This e-mail belongs to another person."
    assert refusals[1] == "Row 5, unit: No unit named “Marketing”."
    assert refusals[2] == "Row 6, e-mail: ann@example.com is also on row 2."
    assert refusals[3].startswith("Row 7, first name: Ensure this value has at most 150")
    assert refusals[4].startswith("Row 8, role: No role “emperor”")
    assert not Person.objects.filter(email__endswith="@example.com").exclude(pk=world.member.pk)
    assert mail.outbox == []


def test_deactivating_keeps_the_person_and_may_hand_key_results_to_the_manager(world):
    person_update(acting=None, person=world.member, manager=world.lead)
    objective = objective_create(acting=None, cycle=world.cycle, title="Sell", unit=world.sales)
    kept = key_result_create(
        acting=None, objective=objective, title="Deals", owner=world.member, target=5
    )
    person_deactivate(acting=world.admin, person=world.member, hand_over=True)
    world.member.refresh_from_db()
    assert not world.member.is_active
    assert KeyResult.objects.get(pk=kept.pk).owner == world.lead
    person_reactivate(acting=world.admin, person=world.member)
    assert Person.objects.get(pk=world.member.pk).is_active


def test_deactivating_without_hand_over_leaves_key_results_with_their_owner(world):
    objective = objective_create(acting=None, cycle=world.cycle, title="Sell", unit=world.sales)
    kept = key_result_create(
        acting=None, objective=objective, title="Deals", owner=world.member, target=5
    )
    person_deactivate(acting=world.admin, person=world.member)
    assert KeyResult.objects.get(pk=kept.pk).owner == world.member


def test_hand_over_needs_an_active_manager_and_writes_nothing_without(world):
    with pytest.raises(ValidationError) as error:
        person_deactivate(acting=world.admin, person=world.member, hand_over=True)
    assert "no active manager" in error.value.message_dict["hand_over"][0]
    assert Person.objects.get(pk=world.member.pk).is_active


def test_nobody_deactivates_themselves_nor_the_last_admin(world):
    with pytest.raises(ValidationError, match="yourself"):
        person_deactivate(acting=world.admin, person=world.admin)
    with pytest.raises(ValidationError, match="only active admin"):
        person_deactivate(acting=None, person=world.admin)
    with pytest.raises(ValidationError, match="only active admin"):
        person_update(acting=world.admin, person=world.admin, role="member")
    with pytest.raises(PermissionDenied):
        person_deactivate(acting=world.strat, person=world.member)


def test_a_deactivated_person_does_not_lead(world):
    person_deactivate(acting=world.admin, person=world.member)
    from lodestar.org.services import membership_set

    with pytest.raises(ValidationError, match="deactivated"):
        membership_set(acting=world.admin, person=world.member, unit=world.support, role="lead")


def test_closing_a_unit_moves_its_scorecards_and_objectives_where_asked(world):
    team = unit_create(acting=None, name="Field", parent=world.sales)
    Scorecard.objects.filter(pk=world.scorecard.pk).update(unit=team)
    objective = objective_create(acting=None, cycle=world.cycle, title="Open", unit=team)
    with pytest.raises(ValidationError) as error:
        unit_close(acting=world.admin, unit=team)
    assert "choose the unit" in error.value.message_dict["move_to"][0]
    unit_close(acting=world.admin, unit=team, move_to=world.support)
    assert not Unit.objects.filter(pk=team.pk).exists()
    assert Scorecard.objects.get(pk=world.scorecard.pk).unit == world.support
    objective.refresh_from_db()
    assert objective.unit == world.support


def test_closing_refuses_the_company_a_unit_with_sub_units_and_others_than_the_admin(world):
    with pytest.raises(ValidationError, match="is the company"):
        unit_close(acting=world.admin, unit=world.company)
    with pytest.raises(ValidationError, match="sub-units \\(Inside Sales\\)"):
        unit_close(acting=world.admin, unit=world.sales)
    with pytest.raises(PermissionDenied):
        unit_close(acting=world.lead, unit=world.inside_sales)
    unit_close(acting=world.admin, unit=world.inside_sales)
    assert not Unit.objects.filter(name="Inside Sales").exists()


def test_a_list_the_csv_module_cannot_read_is_refused_in_words():
    with pytest.raises(ValidationError) as error:
        read_rows("a@example.com," + "x" * 200_000)
    assert "not a list of people" in error.value.message_dict["people"][0]


def test_with_single_sign_on_only_the_invitation_says_how_to_sign_in_by_it(world, settings):
    from lodestar.settings import oidc_providers

    providers = oidc_providers("https://id.example.com", "lodestar", "s3cret", "Acme ID")
    settings.SOCIALACCOUNT_PROVIDERS = providers
    settings.OIDC_NAME = "Acme ID"
    person_invite(acting=world.admin, email="both@example.com")
    assert "/invitation/" in mail.outbox[0].body
    assert "sign in with Acme ID" in mail.outbox[0].body
    settings.SSO_ONLY = True
    person_invite(acting=world.admin, email="sso@example.com")
    assert "/invitation/" not in mail.outbox[1].body
    assert "Sign in with Acme ID at http" in mail.outbox[1].body
