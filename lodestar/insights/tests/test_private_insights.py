"""Private means private in the insights too: changing only private data changes nothing
an outsider is told, on any page or endpoint that shows insights."""

import re
from datetime import date

import time_machine

from lodestar.insights.tests.helpers import NOW, check_in, okr, strategic


def alert_lists(html: str) -> list[str]:
    return re.findall(r'<ul class="alerts">.*?</ul>', html, flags=re.S)


def without_csrf(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def what_the_outsider_is_told(client, world) -> dict:
    with time_machine.travel(NOW, tick=False):
        pages = {
            "api": client.get("/api/v1/insights/alerts").json(),
            "api_alignment": client.get("/api/v1/insights/alignment").json(),
            "api_conflicts": client.get("/api/v1/insights/conflicts").json(),
            "alignment": without_csrf(client.get("/alignment/").content.decode()),
            "dashboard": alert_lists(client.get("/").content.decode()),
            "unit": alert_lists(client.get(f"/units/{world.sales.pk}/").content.decode()),
            "company": alert_lists(client.get(f"/units/{world.company.pk}/").content.decode()),
        }
    return pages


def test_private_objectives_change_nothing_an_outsider_is_told(world, signed_in):
    served = strategic(world, "Grow revenue")
    strategic(world, "Delight customers")
    unserved = strategic(world, "Train everyone", perspective="Financial")
    public = okr(world, "Win the north", serves=[served], key_results=4)
    for key_result in public.key_results.all():
        check_in(key_result, 2, date(2026, 11, 2))
    client = signed_in(world.outsider)
    before = what_the_outsider_is_told(client, world)

    # Only private data: enough key results to overload their owner, an objective that
    # would serve the unserved strategic objective, one that would give Support OKRs.
    hidden = okr(
        world,
        "Quietly reorganise",
        serves=[unserved],
        key_results=3,
        visibility="private",
    )
    for key_result in hidden.key_results.all():
        check_in(key_result, 1, date(2026, 11, 10))
    okr(world, "Support secret", unit=world.support, key_results=1, visibility="private")

    after = what_the_outsider_is_told(client, world)
    assert after == before
    assert before["api"], "the scenario has alerts to compare"


def test_a_reader_who_sees_the_private_objective_gets_its_own_alerts(world, signed_in):
    okr(world, "Quietly reorganise", key_results=1, visibility="private")
    with time_machine.travel(NOW, tick=False):
        lead = signed_in(world.lead).get("/api/v1/insights/alerts").json()
        outsider = signed_in(world.outsider).get("/api/v1/insights/alerts").json()
    assert any("Quietly reorganise" in a["message"] for a in lead)
    assert not any("Quietly reorganise" in a["message"] for a in outsider)
