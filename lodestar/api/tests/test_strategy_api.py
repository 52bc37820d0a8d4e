"""Scorecards, perspectives, themes, strategic objectives, links, measures, measure values
and initiatives: every endpoint, with who may do what."""

from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from lodestar.strategy.models import (
    CauseEffectLink,
    Initiative,
    Measure,
    MeasureValue,
    Perspective,
    Scorecard,
    StrategicObjective,
    Theme,
)
from lodestar.strategy.services import (
    initiative_create,
    link_create,
    measure_create,
    measure_value_record,
    scorecard_create,
    strategic_objective_create,
    theme_create,
)

PERSONAS = ["admin", "strat", "lead", "member", "viewer", "outsider"]


def send(client: Client, method: str, path: str, body=None):
    return getattr(client, method)(f"/api/v1/{path}", body, content_type="application/json")


@pytest.fixture
def strategy(world):
    """A sales scorecard (led by `lead`) with one objective, measure and value."""
    sales = scorecard_create(
        acting=None,
        unit=world.sales,
        name="Sales FY2026",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
    )
    customer = sales.perspectives.get(name="Customer")
    objective = strategic_objective_create(
        acting=None, scorecard=sales, perspective=customer, name="Win deals"
    )
    other = strategic_objective_create(
        acting=None, scorecard=sales, perspective=customer, name="Keep customers"
    )
    measure = measure_create(
        acting=None,
        objective=objective,
        name="Win rate",
        baseline=20,
        target=40,
        owner=world.member,
    )
    value = measure_value_record(acting=None, measure=measure, period=date(2026, 10, 1), actual=30)
    theme = theme_create(acting=None, scorecard=sales, name="Growth")
    link = link_create(acting=None, cause=other, effect=objective)
    initiative = initiative_create(
        acting=None, name="New CRM", strategic_objectives=[objective], budget=1000
    )
    return {
        "scorecard": sales,
        "perspective": customer,
        "objective": objective,
        "other": other,
        "measure": measure,
        "value": value,
        "theme": theme,
        "link": link,
        "initiative": initiative,
    }


@pytest.mark.parametrize(
    "path",
    [
        "scorecards/",
        "perspectives/",
        "themes/",
        "strategic-objectives/",
        "links/",
        "measures/",
        "measure-values/",
        "initiatives/",
    ],
)
@pytest.mark.parametrize("persona", PERSONAS)
def test_everyone_reads_the_strategy(strategy, as_, persona, path):
    response = as_(persona).get(f"/api/v1/{path}")
    assert response.status_code == 200
    assert len(response.json()["items"]) >= 1


# Who may create a scorecard on Sales: admin, strategy office, the lead of Sales.
@pytest.mark.parametrize(
    ("persona", "status"),
    [("admin", 201), ("strat", 201), ("lead", 201), ("member", 403), ("viewer", 403)],
)
def test_who_may_create_a_scorecard(world, as_, persona, status):
    body = {
        "unit": world.sales.pk,
        "name": "Sales 2027",
        "period_start": "2027-01-01",
        "period_end": "2027-12-31",
        "perspectives": ["Learning", "Market"],
    }
    response = send(as_(persona), "post", "scorecards/", body)
    assert response.status_code == status
    if status == 201:
        created = Scorecard.objects.get(pk=response.json()["id"])
        assert list(created.perspectives.values_list("name", flat=True)) == ["Learning", "Market"]


def test_a_lead_may_not_create_a_scorecard_for_another_unit(world, as_):
    body = {
        "unit": world.support.pk,
        "name": "S",
        "period_start": "2027-01-01",
        "period_end": "2027-12-31",
    }
    assert send(as_("lead"), "post", "scorecards/", body).status_code == 403


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("admin", 200),
        ("strat", 200),
        ("lead", 200),
        ("member", 403),
        ("viewer", 403),
        ("outsider", 403),
    ],
)
def test_who_may_change_a_strategic_objective(strategy, as_, persona, status):
    objective = strategy["objective"]
    response = send(
        as_(persona), "patch", f"strategic-objectives/{objective.pk}", {"name": "Win more"}
    )
    assert response.status_code == status
    objective.refresh_from_db()
    assert (objective.name == "Win more") == (status == 200)


def test_creating_and_patching_a_strategic_objective_with_themes(strategy, as_):
    client = as_("lead")
    body = {
        "scorecard": strategy["scorecard"].pk,
        "perspective": strategy["perspective"].pk,
        "name": "Upsell",
        "code": "C3",
        "themes": [strategy["theme"].pk],
        "weight": 2,
    }
    created = send(client, "post", "strategic-objectives/", body).json()
    assert created["themes"] == [strategy["theme"].pk]
    assert created["performance"] is None and created["performance_colour"] == "grey"
    patched = send(client, "patch", f"strategic-objectives/{created['id']}", {"themes": []})
    assert patched.json()["themes"] == []


def test_a_theme_of_another_scorecard_is_refused(strategy, world, as_):
    foreign = theme_create(acting=None, scorecard=world.scorecard, name="Elsewhere")
    response = send(
        as_("admin"),
        "patch",
        f"strategic-objectives/{strategy['objective'].pk}",
        {"themes": [foreign.pk]},
    )
    assert response.status_code == 400
    assert "themes" in response.json()["errors"]


def test_the_measure_owner_records_values_but_others_may_not(strategy, as_):
    measure = strategy["measure"]
    body = {"measure": measure.pk, "period": "2026-11-15", "actual": 36}
    assert send(as_("outsider"), "post", "measure-values/", body).status_code == 403
    assert send(as_("viewer"), "post", "measure-values/", body).status_code == 403
    response = send(as_("member"), "post", "measure-values/", body)
    assert response.status_code == 201
    assert response.json()["period"] == "2026-11-01"  # stored as the period's first day
    measure.refresh_from_db()
    assert measure.performance == pytest.approx(0.8)


def test_patching_a_value_re_records_it_and_moves_the_scores(strategy, as_):
    value, measure = strategy["value"], strategy["measure"]
    response = send(as_("lead"), "patch", f"measure-values/{value.pk}", {"actual": 40})
    assert response.status_code == 200
    assert response.json()["actual"] == 40
    measure.refresh_from_db()
    assert measure.performance == 1.0 and measure.status == "green"
    strategy["objective"].refresh_from_db()
    assert strategy["objective"].performance == 1.0


def test_deleting_a_measure_refreshes_its_objective(strategy, as_):
    objective = strategy["objective"]
    objective.refresh_from_db()
    assert objective.performance is not None
    response = send(as_("lead"), "delete", f"measures/{strategy['measure'].pk}")
    assert response.status_code == 204
    objective.refresh_from_db()
    assert objective.performance is None
    assert not Measure.objects.exists() and not MeasureValue.objects.exists()


def test_measures_filter_by_status_perspective_and_owner(strategy, world, as_):
    client = as_("viewer")
    perspective = strategy["perspective"].pk
    assert len(client.get(f"/api/v1/measures/?perspective={perspective}").json()["items"]) == 1
    assert len(client.get("/api/v1/measures/?status=green").json()["items"]) == 0
    assert len(client.get(f"/api/v1/measures/?owner={world.member.pk}").json()["items"]) == 1
    assert len(client.get(f"/api/v1/measures/?owner={world.lead.pk}").json()["items"]) == 0


def test_lists_are_paginated(strategy, as_):
    body = as_("viewer").get("/api/v1/perspectives/?limit=3&offset=2").json()
    assert body["count"] == Perspective.objects.count() == 8
    assert len(body["items"]) == 3


def test_a_list_walks_page_by_page_after_the_last_id_seen_without_counting(strategy, as_):
    client, seen, after = as_("viewer"), [], ""
    with CaptureQueriesContext(connection) as queries:
        while True:
            body = client.get(f"/api/v1/perspectives/?limit=3{after}").json()
            assert body["count"] is None
            seen += [row["id"] for row in body["items"]]
            if body["next"] is None:
                break
            after = f"&after={body['next']}"
    assert seen == sorted(Perspective.objects.values_list("pk", flat=True))
    assert not [q for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]


def test_the_keyset_page_is_the_same_query_deep_in_the_table(strategy, as_):
    client = as_("viewer")
    last = Perspective.objects.order_by("pk").values_list("pk", flat=True)[6]
    client.get("/api/v1/perspectives/?limit=1")  # warm: the token's last use is recorded
    with CaptureQueriesContext(connection) as first:
        client.get("/api/v1/perspectives/?limit=2")
    with CaptureQueriesContext(connection) as deep:
        body = client.get(f"/api/v1/perspectives/?limit=2&after={last}").json()
    assert [row["id"] > last for row in body["items"]] == [True]
    assert len(first.captured_queries) == len(deep.captured_queries)
    assert not [q for q in deep.captured_queries if "OFFSET" in q["sql"].upper()]


def test_perspectives_themes_and_links_have_full_crud(strategy, as_):
    client = as_("strat")
    scorecard = strategy["scorecard"].pk
    perspective = send(client, "post", "perspectives/", {"scorecard": scorecard, "name": "Mission"})
    assert perspective.json()["position"] == 4
    pk = perspective.json()["id"]
    assert send(client, "patch", f"perspectives/{pk}", {"weight": 2}).json()["weight"] == 2
    assert send(client, "delete", f"perspectives/{pk}").status_code == 204

    theme = send(client, "post", "themes/", {"scorecard": scorecard, "name": "Quality"}).json()
    assert send(client, "patch", f"themes/{theme['id']}", {"description": "x"}).status_code == 200
    assert send(client, "delete", f"themes/{theme['id']}").status_code == 204
    assert not Theme.objects.filter(pk=theme["id"]).exists()

    link = strategy["link"]
    patched = send(client, "patch", f"links/{link.pk}", {"hypothesis": "Retention wins deals"})
    assert patched.json()["hypothesis"] == "Retention wins deals"
    assert send(client, "delete", f"links/{link.pk}").status_code == 204
    assert not CauseEffectLink.objects.exists()


def test_a_perspective_holding_objectives_cannot_be_deleted(strategy, as_):
    response = send(as_("admin"), "delete", f"perspectives/{strategy['perspective'].pk}")
    assert response.status_code == 409


def test_a_duplicate_link_is_refused(strategy, as_):
    body = {"cause": strategy["other"].pk, "effect": strategy["objective"].pk}
    response = send(as_("admin"), "post", "links/", body)
    assert response.status_code == 400 and "effect" in response.json()["errors"]


def test_initiatives_show_earned_value_and_need_rights_on_every_objective(strategy, world, as_):
    initiative = strategy["initiative"]
    read = as_("viewer").get(f"/api/v1/initiatives/{initiative.pk}").json()
    assert read["budget"] == 1000 and read["earned_value"] == 0
    body = {"name": "Org-wide", "objectives": [strategy["objective"].pk]}
    foreign_objective = strategic_objective_create(
        acting=None,
        scorecard=world.scorecard,
        perspective=world.perspective("Customer"),
        name="Company",
    )
    assert send(as_("lead"), "post", "initiatives/", body).status_code == 201
    body["objectives"].append(foreign_objective.pk)
    assert send(as_("lead"), "post", "initiatives/", body).status_code == 403
    patched = send(as_("lead"), "patch", f"initiatives/{initiative.pk}", {"percent_complete": 50})
    assert patched.json()["earned_value"] == 500
    assert send(as_("lead"), "delete", f"initiatives/{initiative.pk}").status_code == 204
    assert not Initiative.objects.filter(pk=initiative.pk).exists()


def test_deleting_a_strategic_objective_refreshes_the_scorecard(strategy, as_):
    scorecard = strategy["scorecard"]
    scorecard.refresh_from_db()
    assert scorecard.score is not None
    send(as_("lead"), "delete", f"strategic-objectives/{strategy['objective'].pk}")
    scorecard.refresh_from_db()
    assert scorecard.score is None
    assert not StrategicObjective.objects.filter(pk=strategy["objective"].pk).exists()


def test_deleting_a_scorecard_takes_its_contents(strategy, as_):
    response = send(as_("strat"), "delete", f"scorecards/{strategy['scorecard'].pk}")
    assert response.status_code == 204
    assert not Scorecard.objects.filter(pk=strategy["scorecard"].pk).exists()


def test_deleting_the_only_value_leaves_the_measure_not_applicable(strategy, as_):
    measure = strategy["measure"]
    value = strategy["value"]
    assert send(as_("outsider"), "delete", f"measure-values/{value.pk}").status_code == 403
    assert send(as_("member"), "delete", f"measure-values/{value.pk}").status_code == 204
    measure.refresh_from_db()
    assert measure.performance is None and measure.status == "grey"
