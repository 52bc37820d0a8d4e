"""Create, edit and delete pages of the Balanced Scorecard, through the test client."""

from dataclasses import dataclass
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from lodestar.org.services import person_create, unit_create
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
    scorecard_create,
    strategic_objective_create,
    theme_create,
)
from lodestar.web.tests.form_assertions import error_beside, labelled, page_queries


@dataclass
class Plan:
    """The world's company scorecard with two objectives, a link, a measure owned by
    the member, a theme and an initiative; and a Sales scorecard led by the lead."""

    growth: StrategicObjective
    loyalty: StrategicObjective
    link: CauseEffectLink
    measure: Measure
    theme: Theme
    initiative: Initiative
    sales_card: Scorecard
    sales_goal: StrategicObjective


@pytest.fixture
def plan(world) -> Plan:
    growth = strategic_objective_create(
        acting=None,
        scorecard=world.scorecard,
        perspective=world.perspective("Financial"),
        name="Grow revenue",
    )
    loyalty = strategic_objective_create(
        acting=None,
        scorecard=world.scorecard,
        perspective=world.perspective("Customer"),
        name="Keep customers",
    )
    measure = measure_create(
        acting=None, objective=loyalty, name="Retention", baseline=80, target=90, owner=world.member
    )
    sales_card = scorecard_create(
        acting=None,
        unit=world.sales,
        name="Sales 2026",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
    )
    sales_goal = strategic_objective_create(
        acting=None,
        scorecard=sales_card,
        perspective=sales_card.perspectives.get(name="Customer"),
        name="Win bigger deals",
        parent=growth,
    )
    return Plan(
        growth=growth,
        loyalty=loyalty,
        link=link_create(acting=None, cause=loyalty, effect=growth),
        measure=measure,
        theme=theme_create(acting=None, scorecard=world.scorecard, name="Operational excellence"),
        initiative=initiative_create(
            acting=None, name="Loyalty programme", strategic_objectives=[loyalty]
        ),
        sales_card=sales_card,
        sales_goal=sales_goal,
    )


def form_urls(world, plan: Plan) -> dict[str, str]:
    """Every strategy form page, by URL name."""
    card, perspective = world.scorecard.pk, world.perspective("Customer").pk
    return {
        "scorecard-new": reverse("scorecard-new"),
        "scorecard-edit": reverse("scorecard-edit", args=[card]),
        "perspective-new": reverse("perspective-new", args=[card]),
        "perspective-edit": reverse("perspective-edit", args=[perspective]),
        "theme-new": reverse("theme-new", args=[card]),
        "theme-edit": reverse("theme-edit", args=[plan.theme.pk]),
        "strategic-objective-new": reverse("strategic-objective-new", args=[card]),
        "strategic-objective-edit": reverse("strategic-objective-edit", args=[plan.growth.pk]),
        "link-new": reverse("link-new", args=[card]),
        "link-edit": reverse("link-edit", args=[plan.link.pk]),
        "measure-new": reverse("measure-new", args=[plan.loyalty.pk]),
        "measure-edit": reverse("measure-edit", args=[plan.measure.pk]),
        "measure-value-new": reverse("measure-value-new", args=[plan.measure.pk]),
        "initiative-new": reverse("initiative-new"),
        "initiative-edit": reverse("initiative-edit", args=[plan.initiative.pk]),
    }


LABELLED = {
    "scorecard-new": ["unit", "name", "period_start", "period_end"],
    "scorecard-edit": ["name", "period_end"],
    "perspective-new": ["name", "weight"],
    "perspective-edit": ["name", "position", "weight"],
    "theme-new": ["name", "description"],
    "theme-edit": ["name"],
    "strategic-objective-new": ["name", "perspective", "owner", "weight", "parent", "themes"],
    "strategic-objective-edit": ["name", "perspective", "parent"],
    "link-new": ["cause", "effect", "hypothesis"],
    "link-edit": ["hypothesis"],
    "measure-new": ["name", "direction", "baseline", "target", "upper", "warning", "owner"],
    "measure-edit": ["target"],
    "measure-value-new": ["period", "actual", "target", "comment"],
    "initiative-new": ["name", "strategic_objectives", "budget", "status"],
    "initiative-edit": ["percent_complete"],
}


@pytest.mark.parametrize("name", sorted(LABELLED))
def test_it_renders_every_strategy_form_with_a_label_for_each_field(world, plan, signed_in, name):
    response = signed_in(world.strat).get(form_urls(world, plan)[name])
    html = response.content.decode()
    assert response.status_code == 200
    for field in LABELLED[name]:
        assert labelled(html, field), field
    assert "Cancel</a>" in html
    assert 'class="breadcrumbs"' in html


# Scorecards ---------------------------------------------------------------------------
def test_the_strategy_office_creates_a_scorecard_with_the_usual_perspectives(world, signed_in):
    response = signed_in(world.strat).post(
        reverse("scorecard-new"),
        {
            "unit": world.support.pk,
            "name": "Support 2027",
            "period_start": "2027-01-01",
            "period_end": "2027-12-31",
        },
    )
    scorecard = Scorecard.objects.get(name="Support 2027")
    assert response.status_code == 302
    assert response["Location"] == reverse("scorecard", args=[scorecard.pk])
    assert scorecard.unit == world.support
    assert scorecard.perspectives.count() == 4


def test_a_scorecard_ending_before_it_starts_is_refused_beside_the_end(world, signed_in):
    response = signed_in(world.strat).post(
        reverse("scorecard-new"),
        {
            "unit": world.support.pk,
            "name": "Backwards",
            "period_start": "2027-12-31",
            "period_end": "2027-01-01",
        },
    )
    assert "must end after it starts" in error_beside(response, "period_end")
    assert not Scorecard.objects.filter(name="Backwards").exists()


def test_a_unit_lead_may_only_pick_units_of_their_subtree_for_a_scorecard(world, signed_in):
    client = signed_in(world.lead)
    form = client.get(reverse("scorecard-new")).context["form"]
    assert set(form.fields["unit"].queryset) == {world.sales, world.inside_sales}
    response = client.post(
        reverse("scorecard-new"),
        {
            "unit": world.company.pk,
            "name": "Grab",
            "period_start": "2027-01-01",
            "period_end": "2027-12-31",
        },
    )
    assert "valid choice" in error_beside(response, "unit")
    assert not Scorecard.objects.filter(name="Grab").exists()


def test_editing_a_scorecard_changes_only_what_was_changed(world, signed_in):
    response = signed_in(world.strat).post(
        reverse("scorecard-edit", args=[world.scorecard.pk]),
        {"name": "FY2026 revised", "period_start": "2026-01-01", "period_end": "2026-12-31"},
    )
    world.scorecard.refresh_from_db()
    assert response.status_code == 302
    assert world.scorecard.name == "FY2026 revised"


# Perspectives and themes --------------------------------------------------------------
def test_a_new_perspective_goes_on_top_of_the_map(world, signed_in):
    response = signed_in(world.strat).post(
        reverse("perspective-new", args=[world.scorecard.pk]),
        {"name": "Sustainability", "position": "", "weight": "2"},
    )
    perspective = world.scorecard.perspectives.get(name="Sustainability")
    assert response["Location"] == reverse("scorecard", args=[world.scorecard.pk])
    assert (perspective.position, perspective.weight) == (4, 2.0)


def test_a_negative_perspective_weight_is_refused_beside_the_weight(world, signed_in):
    perspective = world.perspective("Customer")
    response = signed_in(world.strat).post(
        reverse("perspective-edit", args=[perspective.pk]),
        {"name": "Customer", "position": perspective.position, "weight": "-1"},
    )
    assert "greater than or equal to 0" in error_beside(response, "weight")
    perspective.refresh_from_db()
    assert perspective.weight == 1.0


def test_a_theme_is_created_and_renamed(world, plan, signed_in):
    client = signed_in(world.strat)
    client.post(reverse("theme-new", args=[world.scorecard.pk]), {"name": "Growth"})
    assert Theme.objects.filter(scorecard=world.scorecard, name="Growth").exists()
    client.post(reverse("theme-edit", args=[plan.theme.pk]), {"name": "Excellence"})
    plan.theme.refresh_from_db()
    assert plan.theme.name == "Excellence"


# Strategic objectives and links -------------------------------------------------------
def test_a_strategic_objective_is_created_in_a_perspective_with_themes(world, plan, signed_in):
    response = signed_in(world.strat).post(
        reverse("strategic-objective-new", args=[world.scorecard.pk]),
        {
            "code": "F2",
            "name": "Cut costs",
            "perspective": world.perspective("Financial").pk,
            "owner": world.lead.pk,
            "weight": "2",
            "themes": [plan.theme.pk],
        },
    )
    objective = StrategicObjective.objects.get(name="Cut costs")
    assert response["Location"] == reverse("scorecard", args=[world.scorecard.pk])
    assert objective.owner == world.lead
    assert list(objective.themes.all()) == [plan.theme]


def test_the_perspective_of_a_strategic_objective_comes_from_its_own_scorecard(
    world, plan, signed_in
):
    client = signed_in(world.strat)
    url = reverse("strategic-objective-new", args=[world.scorecard.pk])
    form = client.get(url).context["form"]
    assert set(form.fields["perspective"].queryset) == set(world.scorecard.perspectives.all())
    other = plan.sales_card.perspectives.first()
    response = client.post(url, {"name": "Stray", "perspective": other.pk, "weight": "1"})
    assert "valid choice" in error_beside(response, "perspective")
    assert not StrategicObjective.objects.filter(name="Stray").exists()


def test_a_cascade_parent_comes_from_a_parent_units_scorecard_only(world, plan, signed_in):
    client = signed_in(world.strat)
    form = client.get(reverse("strategic-objective-edit", args=[plan.sales_goal.pk])).context[
        "form"
    ]
    assert set(form.fields["parent"].queryset) == {plan.growth, plan.loyalty}
    # The company objective cannot cascade from the sales objective below it: a loop.
    response = client.post(
        reverse("strategic-objective-edit", args=[plan.growth.pk]),
        {
            "name": "Grow revenue",
            "perspective": plan.growth.perspective_id,
            "weight": "1",
            "parent": plan.sales_goal.pk,
        },
    )
    assert "valid choice" in error_beside(response, "parent")
    plan.growth.refresh_from_db()
    assert plan.growth.parent is None


def test_a_link_is_drawn_and_a_duplicate_is_refused_beside_the_effect(world, plan, signed_in):
    client = signed_in(world.strat)
    url = reverse("link-new", args=[world.scorecard.pk])
    response = client.post(url, {"cause": plan.growth.pk, "effect": plan.loyalty.pk})
    assert response.status_code == 302
    assert CauseEffectLink.objects.filter(cause=plan.growth, effect=plan.loyalty).exists()
    again = client.post(url, {"cause": plan.loyalty.pk, "effect": plan.growth.pk})
    assert "already linked" in error_beside(again, "effect")
    assert CauseEffectLink.objects.count() == 2


# Measures and values ------------------------------------------------------------------
MEASURE = {
    "name": "Net promoter score",
    "direction": "higher",
    "baseline": "20",
    "target": "40",
    "frequency": "monthly",
    "weight": "1",
}


def test_a_measure_is_created_on_a_strategic_objective(world, plan, signed_in):
    response = signed_in(world.strat).post(
        reverse("measure-new", args=[plan.loyalty.pk]), {**MEASURE, "owner": world.member.pk}
    )
    measure = Measure.objects.get(name="Net promoter score")
    assert response["Location"] == reverse("scorecard", args=[world.scorecard.pk])
    assert (measure.objective, measure.target, measure.owner) == (plan.loyalty, 40, world.member)


@pytest.mark.parametrize(
    ("posted", "field", "message"),
    [
        ({"target": "20"}, "target", "Must differ from baseline"),
        ({"target": "nan"}, "target", "Enter a number"),
        ({"weight": "-0.5"}, "weight", "greater than or equal to 0"),
        ({"direction": "range", "upper": ""}, "upper", "A range needs an upper bound"),
    ],
)
def test_a_bad_measure_is_refused_beside_the_field_and_nothing_is_written(
    world, plan, signed_in, posted, field, message
):
    response = signed_in(world.strat).post(
        reverse("measure-new", args=[plan.loyalty.pk]), {**MEASURE, **posted}
    )
    assert message in error_beside(response, field)
    assert not Measure.objects.filter(name="Net promoter score").exists()


def test_a_recorded_value_moves_the_objectives_performance(world, plan, signed_in):
    assert plan.loyalty.performance is None
    response = signed_in(world.member).post(
        reverse("measure-value-new", args=[plan.measure.pk]),
        {"period": "2026-11-15", "actual": "85"},
    )
    value = MeasureValue.objects.get(measure=plan.measure)
    plan.loyalty.refresh_from_db()
    assert response["Location"] == reverse("measure", args=[plan.measure.pk])
    assert (value.period, value.actual, value.author) == (date(2026, 11, 1), 85, world.member)
    assert plan.loyalty.performance == pytest.approx(0.5)


def test_the_value_form_proposes_the_current_month(world, plan, signed_in):
    response = signed_in(world.member).get(reverse("measure-value-new", args=[plan.measure.pk]))
    this_month = timezone.localdate().replace(day=1).isoformat()
    assert f'value="{this_month}"' in response.content.decode()


def test_a_value_that_is_not_a_number_is_refused_beside_the_actual(world, plan, signed_in):
    response = signed_in(world.member).post(
        reverse("measure-value-new", args=[plan.measure.pk]),
        {"period": "2026-11-15", "actual": "nan"},
    )
    assert "Enter a number" in error_beside(response, "actual")
    assert not MeasureValue.objects.exists()


def test_deleting_a_value_rescores_the_objective(world, plan, signed_in):
    client = signed_in(world.member)
    record = reverse("measure-value-new", args=[plan.measure.pk])
    client.post(record, {"period": "2026-10-01", "actual": "90"})
    client.post(record, {"period": "2026-11-01", "actual": "85"})
    latest = MeasureValue.objects.get(period=date(2026, 11, 1))
    response = client.post(reverse("measure-value-delete", args=[latest.pk]))
    assert response["Location"] == reverse("measure", args=[plan.measure.pk])
    plan.loyalty.refresh_from_db()
    assert plan.loyalty.performance == 1.0
    assert (
        signed_in(world.outsider)
        .post(reverse("measure-value-delete", args=[MeasureValue.objects.get().pk]))
        .status_code
        == 403
    )


# Initiatives --------------------------------------------------------------------------
def test_an_initiative_is_created_for_objectives_and_edited(world, plan, signed_in):
    client = signed_in(world.strat)
    response = client.post(
        reverse("initiative-new"),
        {
            "name": "Pricing review",
            "strategic_objectives": [plan.growth.pk],
            "budget": "1000",
            "spent": "0",
            "status": "planned",
            "percent_complete": "0",
        },
    )
    initiative = Initiative.objects.get(name="Pricing review")
    assert response["Location"] == reverse("initiative", args=[initiative.pk])
    assert list(initiative.strategic_objectives.all()) == [plan.growth]
    response = client.post(
        reverse("initiative-edit", args=[initiative.pk]),
        {
            "name": "Pricing review",
            "strategic_objectives": [plan.growth.pk, plan.loyalty.pk],
            "budget": "1000",
            "spent": "-5",
            "status": "active",
            "percent_complete": "10",
        },
    )
    assert "greater than or equal to 0" in error_beside(response, "spent")
    initiative.refresh_from_db()
    assert initiative.status == "planned"


def test_a_lead_attaches_initiatives_only_to_objectives_of_their_subtree(world, plan, signed_in):
    form = signed_in(world.lead).get(reverse("initiative-new")).context["form"]
    assert list(form.fields["strategic_objectives"].queryset) == [plan.sales_goal]


# Deletes ------------------------------------------------------------------------------
def test_deleting_asks_first_then_deletes_on_post(world, plan, signed_in):
    client = signed_in(world.strat)
    url = reverse("measure-delete", args=[plan.measure.pk])
    confirm = client.get(url)
    assert confirm.status_code == 200
    assert "Retention" in confirm.content.decode()
    assert Measure.objects.filter(pk=plan.measure.pk).exists()
    response = client.post(url)
    assert response["Location"] == reverse("strategic-objective", args=[plan.loyalty.pk])
    assert not Measure.objects.filter(pk=plan.measure.pk).exists()


def test_a_perspective_holding_objectives_is_not_deleted(world, plan, signed_in):
    response = signed_in(world.strat).post(
        reverse("perspective-delete", args=[world.perspective("Customer").pk])
    )
    assert response.status_code == 409
    assert "still holds" in response.content.decode()
    assert Perspective.objects.filter(pk=world.perspective("Customer").pk).exists()


def test_deleting_a_scorecard_takes_its_contents(world, plan, signed_in):
    response = signed_in(world.strat).post(reverse("scorecard-delete", args=[plan.sales_card.pk]))
    assert response["Location"] == reverse("scorecard-list")
    assert not StrategicObjective.objects.filter(pk=plan.sales_goal.pk).exists()


# Permissions --------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("persona", "company", "sales"),
    [
        ("admin", 200, 200),
        ("strat", 200, 200),
        ("lead", 403, 200),  # leads Sales: its own scorecard only
        ("member", 403, 403),
        ("viewer", 403, 403),
        ("outsider", 403, 403),
    ],
)
def test_who_may_open_the_strategy_forms(world, plan, signed_in, persona, company, sales):
    client = signed_in(getattr(world, persona))
    pages = {
        company: [
            reverse("scorecard-edit", args=[world.scorecard.pk]),
            reverse("strategic-objective-new", args=[world.scorecard.pk]),
            reverse("strategic-objective-edit", args=[plan.growth.pk]),
            reverse("link-edit", args=[plan.link.pk]),
            reverse("measure-edit", args=[plan.measure.pk]),
            reverse("perspective-delete", args=[world.perspective("Customer").pk]),
        ],
        sales: [
            reverse("scorecard-edit", args=[plan.sales_card.pk]),
            reverse("perspective-new", args=[plan.sales_card.pk]),
            reverse("strategic-objective-edit", args=[plan.sales_goal.pk]),
            reverse("measure-new", args=[plan.sales_goal.pk]),
        ],
    }
    for expected, urls in pages.items():
        for url in urls:
            assert client.get(url).status_code == expected, url


def test_a_refused_post_writes_nothing(world, plan, signed_in):
    response = signed_in(world.lead).post(
        reverse("strategic-objective-edit", args=[plan.growth.pk]),
        {"name": "Hijacked", "perspective": plan.growth.perspective_id, "weight": "1"},
    )
    assert response.status_code == 403
    plan.growth.refresh_from_db()
    assert plan.growth.name == "Grow revenue"


@pytest.mark.parametrize(("persona", "status"), [("member", 200), ("outsider", 403)])
def test_the_owner_of_a_measure_records_its_values(world, plan, signed_in, persona, status):
    url = reverse("measure-value-new", args=[plan.measure.pk])
    assert signed_in(getattr(world, persona)).get(url).status_code == status


def test_without_a_unit_to_lead_nobody_starts_a_scorecard_or_initiative(world, signed_in):
    client = signed_in(world.member)
    assert client.get(reverse("scorecard-new")).status_code == 403
    assert client.get(reverse("initiative-new")).status_code == 403


def test_the_forms_need_a_signed_in_person(world, plan, client):
    response = client.get(reverse("scorecard-new"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# Query counts -------------------------------------------------------------------------
def grow_the_organisation(world, plan, size: int) -> None:
    """More units, people, scorecards, objectives and measures than the pages show."""
    for n in range(size):
        unit = unit_create(acting=None, name=f"Team {n}", parent=world.sales)
        person_create(acting=None, username=f"person{n}")
        card = scorecard_create(
            acting=None,
            unit=unit,
            name=f"Card {n}",
            period_start=date(2026, 1, 1),
            period_end=date(2026, 12, 31),
        )
        goal = strategic_objective_create(
            acting=None,
            scorecard=world.scorecard,
            perspective=world.perspective("Customer"),
            name=f"Goal {n}",
        )
        strategic_objective_create(
            acting=None,
            scorecard=card,
            perspective=card.perspectives.first(),
            name=f"Local {n}",
            parent=goal,
        )
        measure_create(acting=None, objective=goal, name=f"Measure {n}", baseline=0, target=10)
        theme_create(acting=None, scorecard=world.scorecard, name=f"Theme {n}")


def test_form_pages_take_a_fixed_number_of_queries_whatever_the_size(world, plan, signed_in):
    client = signed_in(world.strat)
    urls = form_urls(world, plan)
    before = {name: page_queries(client, url) for name, url in urls.items()}
    assert max(before.values()) <= 12, before
    grow_the_organisation(world, plan, 12)
    after = {name: page_queries(client, url) for name, url in urls.items()}
    assert after == before


# End to end ---------------------------------------------------------------------------
def test_the_strategy_office_builds_a_scorecard_end_to_end(world, signed_in):
    client = signed_in(world.strat)

    def post(url: str, data: dict) -> str:
        response = client.post(url, data)
        assert response.status_code == 302, response.content.decode()
        return response["Location"]

    post(
        reverse("scorecard-new"),
        {
            "unit": world.support.pk,
            "name": "Support 2027",
            "period_start": "2027-01-01",
            "period_end": "2027-12-31",
        },
    )
    card = Scorecard.objects.get(name="Support 2027")
    post(reverse("perspective-new", args=[card.pk]), {"name": "Community", "weight": "1"})
    community = card.perspectives.get(name="Community")
    for name in ("Answer fast", "Delight users"):
        post(
            reverse("strategic-objective-new", args=[card.pk]),
            {"name": name, "perspective": community.pk, "weight": "1"},
        )
    fast, delight = (
        card.strategic_objectives.get(name=n) for n in ("Answer fast", "Delight users")
    )
    post(reverse("link-new", args=[card.pk]), {"cause": fast.pk, "effect": delight.pk})
    measure_page = post(
        reverse("measure-new", args=[fast.pk]),
        {
            **MEASURE,
            "name": "First reply (hours)",
            "direction": "lower",
            "baseline": "24",
            "target": "4",
        },
    )
    measure = fast.measures.get()
    assert measure_page == reverse("scorecard", args=[card.pk])
    post(reverse("measure-value-new", args=[measure.pk]), {"period": "2027-01-10", "actual": "4"})

    fast.refresh_from_db()
    card.refresh_from_db()
    assert CauseEffectLink.objects.filter(cause=fast, effect=delight).exists()
    assert fast.performance == 1.0
    assert card.score == 1.0
