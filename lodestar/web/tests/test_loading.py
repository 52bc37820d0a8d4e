"""The one page loader gives the API's verdicts: 404 for what is missing or may not be
seen (a private objective's existence is not told), 403 for what may be seen but not
changed, the object otherwise."""

import pytest

from lodestar.okrs.services import objective_create


@pytest.fixture
def private(world):
    return objective_create(
        acting=None,
        cycle=world.cycle,
        title="Quietly fix pricing",
        unit=world.sales,
        owner=world.member,
        visibility="private",
    )


@pytest.fixture
def public(world):
    return objective_create(acting=None, cycle=world.cycle, title="Ship", unit=world.sales)


def test_a_private_objective_is_not_found_by_someone_who_may_not_see_it(world, client, private):
    client.force_login(world.outsider)
    assert client.get(f"/objectives/{private.pk}/").status_code == 404
    assert client.get(f"/objectives/{private.pk}/edit").status_code == 404


def test_its_owner_sees_it(world, client, private):
    client.force_login(world.member)
    assert client.get(f"/objectives/{private.pk}/").status_code == 200


def test_a_visible_objective_someone_may_not_change_is_forbidden(world, client, public):
    client.force_login(world.viewer)
    assert client.get(f"/objectives/{public.pk}/").status_code == 200
    assert client.get(f"/objectives/{public.pk}/edit").status_code == 403
    assert client.post(f"/objectives/{public.pk}/grade", {"final_grade": 1}).status_code == 403


def test_a_missing_object_is_not_found(world, client):
    client.force_login(world.admin)
    assert client.get("/objectives/999999/").status_code == 404
    assert client.get("/cycles/999999/edit").status_code == 404
    assert client.get("/alignment/?unit=999999").status_code == 404
