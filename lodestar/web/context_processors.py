"""What every page's navigation needs: the cycles to switch between, the page's chosen
one selected, and the scorecard that "Strategy map" and "Scorecard" open (two queries,
whatever the size of the organisation; the second only when the page has not got its
scorecard itself).

The scorecard is the one the page is about (its view passes `nav_scorecard`), else the
latest of the reader's own units, else the company's."""

import functools

from django.db.models import Exists, OuterRef, Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from lodestar.notify.models import WebhookSubscription
from lodestar.org.models import Membership, Person, SecondFactorPolicy, Unit
from lodestar.org.permissions import Action
from lodestar.scores.models import StrategyOwed
from lodestar.scores.rollup import queued
from lodestar.sources.models import DataSource
from lodestar.strategy.models import Scorecard
from lodestar.strategy.selectors import current_scorecard
from lodestar.web.cycles import chosen_cycle, request_cycles


def home_scorecard(person: Person) -> Scorecard | None:
    """The current scorecard of one of the person's units, else the company's: one query."""
    own_unit = Membership.objects.filter(person=person, unit=OuterRef("unit"))
    cards = list(
        Scorecard.objects.filter(Q(unit__parent__isnull=True) | Q(unit__memberships__person=person))
        .annotate(own=Exists(own_unit))
        .distinct()
    )
    today = timezone.localdate()
    own = current_scorecard([card for card in cards if card.own], today)
    return own or current_scorecard(cards, today)


def navigation(request: HttpRequest) -> dict:
    if not request.user.is_authenticated:
        return {}
    return {
        "nav_cycles": request_cycles(request),
        # The page's cycle: the switcher shows what the page shows.
        "nav_chosen_cycle": chosen_cycle(request),
        # A template calls it when it reads it, once (cached); a view may pass its own.
        "nav_scorecard": functools.cache(lambda: home_scorecard(request.user)),
        "strategy_refreshing": strategy_refreshing,
        "nav_settings": functools.cache(lambda: settings_links(request)),
    }


def settings_links(request: HttpRequest) -> list[tuple[str, str]]:
    """The top bar's Settings menu: one's own settings, then what the reader's role may
    manage (the permission layer decides, as the pages themselves do)."""
    reader = request.reader
    links = [
        ("Your profile", reverse("account-profile")),
        ("E-mail", reverse("account-email")),
        ("Password", reverse("password_change")),
        ("Second factor", reverse("two-factor")),
        ("Sessions and sign-ins", reverse("sessions")),
        ("Reminders and digests", reverse("notification-settings")),
        ("API tokens", reverse("api-tokens")),
        ("API documentation", reverse("api:openapi-view")),
        ("Import and export", reverse("exchange-import")),
    ]
    if reader.can(Action.CHANGE, Person()):
        links.append(("People and invitations", reverse("people")))
        links.append(("Sign-ins of everyone", reverse("people-history")))
    if reader.can(Action.CHANGE, SecondFactorPolicy()):
        links.append(("Second factor for admins", reverse("second-factor-policy")))
    if reader.can(Action.CHANGE, Unit()):
        links.append(("Units", reverse("unit-list")))
    if reader.can(Action.VIEW, DataSource()):
        links.append(("Data sources", reverse("sources")))
    if reader.can(Action.VIEW, WebhookSubscription()):
        links.append(("Webhook deliveries", reverse("webhook-log")))
    if request.user.is_staff:
        links.append(("Admin", reverse("admin:index")))
    return links


def strategy_refreshing() -> bool:
    """Whether workers still owe strategy scores (the queued roll-up): a page says so
    beside its figures. Inline, every write refreshed them itself: no query."""
    return queued() and StrategyOwed.objects.exists()
