"""One company per installation: one root unit, whose current scorecard is the company's.
Applying "manufacturing" made a second root "Company", whose empty "Strategy 2027" then
took over the dashboard, the navigation and the review, with a cycle of its own beside
the running one."""

import re
from datetime import date

import pytest
from django.core.exceptions import ValidationError

from lodestar.exchange.importer import import_book
from lodestar.exchange.reader import read_bytes
from lodestar.exchange.template import starter_import
from lodestar.okrs.models import Cycle, Objective
from lodestar.okrs.services import cycle_create
from lodestar.org.models import Unit
from lodestar.org.services import unit_create, unit_update
from lodestar.strategy.models import Scorecard
from lodestar.strategy.selectors import company_scorecard, current_scorecard
from lodestar.strategy.services import scorecard_create


def test_a_second_company_is_refused_by_the_service_and_the_api(world, as_):
    with pytest.raises(ValidationError) as refused:
        unit_create(acting=world.admin, name="Other Co", kind="company")
    assert "one company, Acme" in str(refused.value.message_dict["parent"])
    response = as_("admin").post(
        "/api/v1/units/", {"name": "Other Co"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "one company, Acme" in response.content.decode()
    with pytest.raises(ValidationError):
        unit_update(acting=world.admin, unit=world.sales, parent=None)
    assert list(Unit.objects.filter(parent__isnull=True)) == [world.company]


def test_the_company_scorecard_is_the_one_covering_today_not_next_years_draft(world):
    next_year = scorecard_create(
        acting=None,
        unit=world.company,
        name="FY2027",
        period_start=date(2027, 1, 1),
        period_end=date(2027, 12, 31),
    )
    assert company_scorecard(date(2026, 12, 7)) == world.scorecard
    assert company_scorecard(date(2027, 2, 1)) == next_year
    # Between two scorecards, the latest that has started; before any, the first to start.
    cards = [world.scorecard, next_year]
    assert current_scorecard(cards, date(2028, 3, 1)) == next_year
    assert current_scorecard(cards, date(2025, 3, 1)) == world.scorecard
    assert current_scorecard([], date(2026, 1, 1)) is None


def test_an_imported_unit_without_a_parent_goes_under_the_company(world):
    report = import_book(
        read_bytes(b"key,name,kind\nmu,M\xc3\xbcller GmbH,company\n", "units.csv"),
        acting=world.admin,
    )
    assert report.ok, [str(p) for p in report.problems]
    assert Unit.objects.get(name="Müller GmbH").parent == world.company
    assert Unit.objects.filter(parent__isnull=True).count() == 1


def test_a_starter_applied_to_a_live_company_takes_nothing_over(world, signed_in):
    planning = cycle_create(
        acting=None, name="Q1 2027", start=date(2027, 1, 1), end=date(2027, 3, 31)
    )
    cycles_before = set(Cycle.objects.values_list("pk", flat=True))
    report = starter_import("manufacturing", acting=world.admin)
    assert report.ok, [str(p) for p in report.problems]
    assert list(Unit.objects.filter(parent__isnull=True)) == [world.company]
    # Its quarter is the planning cycle that covers those days: no overlapping second one.
    assert set(Cycle.objects.values_list("pk", flat=True)) == cycles_before
    examples = Objective.objects.filter(cycle=planning)
    assert examples.exists()
    assert set(examples.values_list("visibility", flat=True)) == {"private"}
    assert set(examples.values_list("owner", flat=True)) == {world.admin.pk}
    # The company's scorecard, the dashboard's and the navigation's, is still the running one.
    assert company_scorecard() == world.scorecard
    assert Scorecard.objects.filter(name="Strategy 2027").get().unit.parent == world.company
    page = signed_in(world.member).get("/")
    assert page.context["scorecard"] == world.scorecard
    # The member sees none of the admin's draft objectives.
    tree = signed_in(world.member).get(f"/okrs/?cycle={planning.pk}").content.decode()
    assert not any(title in tree for title in examples.values_list("title", flat=True))
    # Its scorecard is a draft: the applier's and the strategy office's, nobody else's.
    card = Scorecard.objects.get(name="Strategy 2027")
    assert card.draft and card.created_by == world.admin
    for reader, shown in ((world.member, False), (world.strat, True), (world.admin, True)):
        listed = signed_in(reader).get("/scorecards/").content.decode()
        assert ("Strategy 2027" in listed) is shown
        status = signed_in(reader).get(f"/scorecards/{card.pk}/").status_code
        assert status == (200 if shown else 404)
    # The OKR form offers a draft's strategic objectives to nobody, and an example serving
    # one keeps it when edited.
    drafted = set(card.strategic_objectives.values_list("name", flat=True))
    new = signed_in(world.member).get("/objectives/new").content.decode()
    assert drafted and not any(name in new for name in drafted)
    example = examples.filter(contributes_to__scorecard=card).distinct().first()
    served = example.contributes_to.first()
    edit = signed_in(world.admin).get(f"/objectives/{example.pk}/edit").content.decode()
    assert re.search(rf'value="{served.pk}"[^>]*checked', edit)
    # Applied twice, it finds what it wrote the first time.
    again = starter_import("manufacturing", acting=world.admin)
    assert again.ok and set(Cycle.objects.values_list("pk", flat=True)) == cycles_before
    assert Scorecard.objects.get(name="Strategy 2027").draft


def test_a_draft_is_never_the_company_scorecard_and_publishing_shows_it(world, as_):
    """Drafted covering today, it would be the company's if it counted; it does not until
    someone publishes it (page or API), and then everyone sees it."""
    draft = scorecard_create(
        acting=world.strat,
        unit=world.company,
        name="Strategy refresh",
        period_start=date(2026, 12, 1),
        period_end=date(2027, 12, 31),
        draft=True,
    )
    today = date(2026, 12, 7)
    assert company_scorecard(today) == world.scorecard
    listed = as_("member").get("/api/v1/scorecards/").json()
    assert draft.pk not in {card["id"] for card in listed["items"]}
    assert as_("member").get(f"/api/v1/scorecards/{draft.pk}").status_code == 404
    assert as_("member").post(f"/api/v1/scorecards/{draft.pk}/publish").status_code == 404
    mine = as_("strat").get(f"/api/v1/scorecards/{draft.pk}").json()
    assert mine["published_at"] is None
    published = as_("strat").post(f"/api/v1/scorecards/{draft.pk}/publish")
    assert published.status_code == 200 and published.json()["published_at"]
    assert company_scorecard(today) == draft
    assert as_("member").get(f"/api/v1/scorecards/{draft.pk}").status_code == 200
