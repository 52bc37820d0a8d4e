import pytest
from django.core.exceptions import ValidationError

from lodestar.org.models import Membership, Unit
from lodestar.org.services import membership_set, person_update, unit_create, unit_update


def test_it_refuses_a_unit_under_its_own_descendant(world):
    with pytest.raises(ValidationError) as error:
        unit_update(acting=None, unit=world.sales, parent=world.inside_sales)
    assert "parent" in error.value.message_dict
    world.sales.refresh_from_db()
    assert world.sales.parent == world.company


def test_it_refuses_a_unit_as_its_own_parent(world):
    with pytest.raises(ValidationError) as error:
        unit_update(acting=None, unit=world.sales, parent=world.sales)
    assert "own ancestor" in error.value.message_dict["parent"][0]


def test_it_moves_a_unit_to_another_branch(world):
    unit_update(acting=None, unit=world.inside_sales, parent=world.support)
    assert Unit.objects.get(pk=world.inside_sales.pk).parent == world.support


def test_it_refuses_a_duplicate_unit_name_under_one_parent(world):
    with pytest.raises(ValidationError):
        unit_create(acting=None, name="Sales", parent=world.company)
    assert Unit.objects.filter(name="Sales").count() == 1


def test_a_new_lead_replaces_the_old_one(world):
    membership_set(acting=None, person=world.member, unit=world.sales, role="lead")
    leads = Membership.objects.filter(unit=world.sales, role="lead")
    assert [m.person for m in leads] == [world.member]
    assert Membership.objects.get(unit=world.sales, person=world.lead).role == "member"


def test_it_refuses_a_manager_loop(world):
    person_update(acting=None, person=world.member, manager=world.lead)
    with pytest.raises(ValidationError) as error:
        person_update(acting=None, person=world.lead, manager=world.member)
    assert "manager" in error.value.message_dict


def test_making_someone_admin_gives_admin_site_access(world):
    person_update(acting=None, person=world.member, role="admin")
    world.member.refresh_from_db()
    assert world.member.is_staff and world.member.is_superuser
