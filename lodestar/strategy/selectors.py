"""Reads of the strategy that need a rule: which scorecard is the company's."""

from collections.abc import Iterable
from datetime import date

from django.utils import timezone

from lodestar.strategy.models import Scorecard


def current_scorecard(scorecards: Iterable[Scorecard], today: date) -> Scorecard | None:
    """The published scorecard whose period covers today, else the latest that has
    started, else the first to start. Drafting next year's scorecard never takes over the
    running year's, and a draft (a starter applied as such) is never the current one."""
    published = (card for card in scorecards if not card.draft)
    cards = sorted(published, key=lambda card: (card.period_start, card.pk))
    covering = [c for c in cards if c.period_start <= today <= c.period_end]
    if covering:
        return covering[-1]
    started = [c for c in cards if c.period_start <= today]
    if started:
        return started[-1]
    return cards[0] if cards else None


def company_scorecard(today: date | None = None) -> Scorecard | None:
    """The company's scorecard (the one root unit's current one), which the dashboard, the
    navigation and the quarterly review show: one query."""
    cards = Scorecard.objects.filter(unit__parent__isnull=True).select_related("unit")
    return current_scorecard(cards, today or timezone.localdate())


def current_scorecards(today: date | None = None) -> dict[int, Scorecard]:
    """Each unit's current scorecard by the same rule (one query)."""
    by_unit: dict[int, list[Scorecard]] = {}
    for scorecard in Scorecard.objects.all():
        by_unit.setdefault(scorecard.unit_id, []).append(scorecard)
    today = today or timezone.localdate()
    return {unit: current_scorecard(cards, today) for unit, cards in by_unit.items()}
