"""/settings/second-factor/: the admin requires a second factor of admins and the strategy
office; stored in the database, SECOND_FACTOR_REQUIRED_ROLES its default until then, and
the middleware obeys it at once."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from lodestar.org.models import SecondFactorPolicy
from lodestar.org.second_factor_policy import second_factor_policy_set

pytestmark = pytest.mark.django_db


def sent_to_set_up(client) -> bool:
    answer = client.get("/")
    return answer.status_code == 302 and answer["Location"] == "/account/two-factor/"


def test_the_admin_requires_it_and_the_pages_obey_at_once(world, signed_in):
    admin, strat, member = (signed_in(p) for p in (world.admin, world.strat, world.member))
    assert not sent_to_set_up(strat)
    page = admin.get("/settings/second-factor/")
    assert page.status_code == 200 and "Strategy office" in page.content.decode()
    saved = admin.post("/settings/second-factor/", {"roles": ["strategy_office"]})
    assert saved.status_code == 302
    assert SecondFactorPolicy.objects.get().roles == ["strategy_office"]
    assert sent_to_set_up(strat)
    assert strat.get("/account/two-factor/").status_code == 200  # where it is set up
    assert not sent_to_set_up(member) and not sent_to_set_up(admin)


def test_the_setting_is_the_default_until_the_admin_saves(world, signed_in, settings):
    settings.SECOND_FACTOR_REQUIRED_ROLES = ["admin", "strategy_office"]
    strat = signed_in(world.strat)
    assert sent_to_set_up(strat)
    second_factor_policy_set(acting=None, roles=[])
    assert not sent_to_set_up(strat)


def test_only_the_admin_sets_it_and_only_for_those_roles(world, signed_in):
    for someone in (world.strat, world.lead, world.member, world.viewer):
        assert signed_in(someone).get("/settings/second-factor/").status_code == 403
        with pytest.raises(PermissionDenied):
            second_factor_policy_set(acting=someone, roles=[])
    with pytest.raises(ValidationError) as refused:
        second_factor_policy_set(acting=world.admin, roles=["member"])
    assert "member" in str(refused.value)
    answer = signed_in(world.admin).post("/settings/second-factor/", {"roles": ["viewer"]})
    assert answer.status_code == 400 and not SecondFactorPolicy.objects.exists()
