"""The front door end to end in Chromium (issue "The front door", done when): a new
installation is set up by a person with nothing but the browser and the server's log: the
first admin with the setup code, a unit tree, three people invited from a pasted list, and
one of them signing in by single sign-on against a real OpenID Connect provider on loopback.
The test counts the clicks and the fields filled, and prints them."""

from urllib.parse import quote

import httpx
import pytest
from django.core import mail
from oidc_provider_mock import run_server_in_thread

from lodestar.org.first_run import setup_code
from lodestar.org.models import Person, Unit
from lodestar.settings import oidc_providers

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PEOPLE = """e-mail, first name, last name, role, unit
ada@acme.example, Ada, Lovelace, member, Sales
grace@acme.example, Grace, Hopper, member, Support
alan@acme.example, Alan, Turing, strategy_office, Acme"""


class Steps:
    """The person's actions, counted: a click is a click (a page reached from a menu counts
    as one), a field is a box filled in or a choice made."""

    def __init__(self, page):
        self.page, self.clicks, self.fields = page, 0, 0

    def visit(self, path: str) -> None:
        """A page reached from the menus: counted as one click (the Settings menu's link)."""
        self.page.goto(path)
        self.clicks += 1

    def fill(self, label: str, value: str) -> None:
        self.page.get_by_label(label).fill(value)
        self.fields += 1

    def choose(self, label: str, option: str) -> None:
        self.page.get_by_label(label).select_option(label=option)
        self.fields += 1

    def click(self, role: str, name: str) -> None:
        self.page.get_by_role(role, name=name, exact=True).first.click()
        self.clicks += 1


def test_a_new_installation_is_set_up_in_the_browser_and_an_invited_person_signs_in_by_sso(
    page, live_server, settings
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    steps = Steps(page)
    # An empty installation: the sign-in page leads to the setup page. The server's first
    # request loads every URL's module (the API's and SCIM's schemas: seconds on a busy machine).
    page.goto("/", timeout=120_000)
    assert page.url.endswith("/setup/")
    steps.fill("Setup code", setup_code())  # read from the server's log
    steps.fill("User name", "olivia")
    steps.fill("E-mail", "olivia@acme.example")
    steps.fill("Password", "a long and private passphrase")
    steps.click("button", "Create the admin")
    assert "you are this installation's admin" in page.content()

    steps.visit("/units/new")
    steps.fill("Name", "Acme")
    steps.click("button", "Create")
    for name in ("Sales", "Support"):
        steps.visit("/units/new")
        steps.fill("Name", name)
        steps.choose("Parent", "Acme")
        steps.click("button", "Create")
    acme = Unit.objects.get(name="Acme")
    assert set(acme.children.values_list("name", flat=True)) == {"Sales", "Support"}
    assert Unit.objects.filter(parent=None).count() == 1  # one company

    steps.visit("/people/invite-many/")
    steps.fill("People, one a line", PEOPLE)
    steps.click("button", "Invite all")
    assert len(mail.outbox) == 3
    ada = Person.objects.get(email="ada@acme.example")
    assert ada.units.get().name == "Sales" and not ada.has_usable_password()
    alan = Person.objects.get(email="alan@acme.example")
    assert alan.role == Person.Role.STRATEGY_OFFICE

    page.get_by_role("button", name="Sign out").click()
    with run_server_in_thread() as server:
        provider = f"http://localhost:{server.server_port}"
        settings.SOCIALACCOUNT_PROVIDERS = oidc_providers(provider, "lodestar", "s3cret", "Acme")
        settings.OIDC_NAME = "Acme ID"
        settings.SITE_URL = live_server.url
        claims = {"email": "ada@acme.example", "email_verified": True, "given_name": "Ada"}
        httpx.put(f"{provider}/users/{quote('ada@acme.example')}", json=claims)
        page.goto("/")
        sso_clicks = Steps(page)
        sso_clicks.click("button", "Sign in with Acme ID")
        page.get_by_placeholder("sub").fill("ada@acme.example")  # the provider's own form
        sso_clicks.click("button", "Authorize")
        page.wait_for_url(f"{live_server.url}/")
        assert page.get_by_role("navigation", name="Main").is_visible()
    ada.refresh_from_db()
    assert ada.socialaccount_set.count() == 1  # linked through the verified e-mail
    assert Person.objects.filter(email__iexact="ada@acme.example").count() == 1
    print(
        f"\nFront door: setup, 3 units and 3 people in {steps.clicks} clicks and "
        f"{steps.fields} fields; Ada's first sign-in by SSO in {sso_clicks.clicks} clicks"
    )
