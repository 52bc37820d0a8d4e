"""Single sign-on against a real OpenID Connect provider on loopback (oidc-provider-mock, a
Flask server in a thread): discovery, authorization code with PKCE, the token answer, the ID
token's signature checked against the provider's published keys, just-in-time creation,
claims to role and units; and the refusals."""

import base64
import json
from datetime import timedelta
from urllib.parse import parse_qs, quote, urlsplit

import httpx
import pytest
from allauth.socialaccount.models import SocialAccount, SocialApp
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from django.test import Client, RequestFactory
from oidc_provider_mock import run_server_in_thread

from lodestar.org.models import Membership, Person
from lodestar.org.services import person_create
from lodestar.settings import oidc_providers
from lodestar.sso.provider import SignedTokensAdapter

pytestmark = pytest.mark.django_db
START = "/sso/sso/login/"


@pytest.fixture
def provider():
    with run_server_in_thread() as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture
def sso(settings, provider):
    settings.SOCIALACCOUNT_PROVIDERS = oidc_providers(provider, "lodestar", "s3cret", "Acme ID")
    settings.OIDC_NAME = "Acme ID"
    settings.OIDC_ROLE_CLAIM = "lodestar_role"
    settings.OIDC_UNITS_CLAIM = "lodestar_units"
    settings.OIDC_ALLOWED_DOMAINS = []
    return provider


def known_to(provider: str, sub: str, **claims) -> None:
    answer = httpx.put(f"{provider}/users/{quote(sub)}", json={"email": sub, **claims})
    assert answer.status_code == 204


def sign_in(client: Client, sub: str):
    """The browser's part: start at Lodestar, say who at the provider, come back."""
    started = client.post(START)
    assert started.status_code == 302
    authorize = started["Location"]
    asked = parse_qs(urlsplit(authorize).query)
    assert asked["code_challenge_method"] == ["S256"] and asked["code_challenge"]  # PKCE
    answer = httpx.post(authorize, data={"sub": sub})
    assert answer.status_code == 302
    back = urlsplit(answer.headers["location"])
    return client.get(f"{back.path}?{back.query}")


def test_a_verified_new_person_is_created_with_claimed_role_and_units(sso, world):
    known_to(
        sso,
        "ada@acme.example",
        email_verified=True,
        given_name="Ada",
        family_name="Lovelace",
        lodestar_role="strategy_office",
        lodestar_units=["Sales", "Nowhere"],
    )
    client = Client()
    landed = sign_in(client, "ada@acme.example")
    assert landed.status_code == 302 and landed["Location"] == "/"
    ada = Person.objects.get(email="ada@acme.example")
    assert (ada.first_name, ada.username, ada.role) == ("Ada", "ada", "strategy_office")
    assert ada.has_usable_password() is False
    assert set(Membership.objects.filter(person=ada).values_list("unit__name", flat=True)) == {
        "Sales"
    }
    assert client.get("/").status_code == 200  # signed in
    client.post("/logout/")
    assert client.get("/").status_code == 302  # and out again


def test_claims_follow_the_person_at_every_sign_in(sso, world):
    known_to(sso, "ada@acme.example", email_verified=True, lodestar_units=["Sales"])
    sign_in(Client(), "ada@acme.example")
    known_to(sso, "ada@acme.example", email_verified=True, lodestar_units=["Support"])
    sign_in(Client(), "ada@acme.example")
    ada = Person.objects.get(email="ada@acme.example")
    assert list(Membership.objects.filter(person=ada).values_list("unit__name", flat=True)) == [
        "Support"
    ]
    assert SocialAccount.objects.filter(user=ada).count() == 1


def test_a_verified_email_links_the_existing_account(sso, world):
    world.member.email = "member@acme.example"
    world.member.save()
    known_to(sso, "member@acme.example", email_verified=True)
    client = Client()
    sign_in(client, "member@acme.example")
    assert SocialAccount.objects.get().user == world.member
    assert client.get("/").wsgi_request.user == world.member


def test_an_unverified_email_never_takes_over_an_account(sso, world):
    world.admin.email = "admin@acme.example"
    world.admin.save()
    known_to(sso, "admin@acme.example", email_verified=False)
    client = Client()
    refused = sign_in(client, "admin@acme.example")
    assert refused.status_code == 403
    assert "has not confirmed your e-mail" in refused.content.decode()
    assert not SocialAccount.objects.exists()
    assert client.get("/").status_code == 302  # nobody signed in


def test_a_domain_not_allowed_is_refused(sso, settings, world):
    settings.OIDC_ALLOWED_DOMAINS = ["acme.example"]
    known_to(sso, "eve@elsewhere.example", email_verified=True)
    refused = sign_in(Client(), "eve@elsewhere.example")
    assert refused.status_code == 403
    assert "elsewhere.example may not sign in" in refused.content.decode()
    assert not Person.objects.filter(email="eve@elsewhere.example").exists()


def test_no_just_in_time_creation_when_turned_off(sso, settings, world):
    settings.OIDC_CREATE_PEOPLE = False
    known_to(sso, "new@acme.example", email_verified=True)
    assert sign_in(Client(), "new@acme.example").status_code == 403
    assert not Person.objects.filter(email="new@acme.example").exists()


def test_a_deactivated_person_is_refused(sso, world):
    world.member.email = "member@acme.example"
    world.member.is_active = False
    world.member.save()
    known_to(sso, "member@acme.example", email_verified=True)
    assert sign_in(Client(), "member@acme.example").status_code == 403


def test_an_expired_id_token_signs_nobody_in(settings, world):
    with run_server_in_thread(access_token_max_age=timedelta(seconds=-60)) as server:
        provider = f"http://localhost:{server.server_port}"
        settings.SOCIALACCOUNT_PROVIDERS = oidc_providers(provider, "lodestar", "s", "Acme ID")
        known_to(provider, "ada@acme.example", email_verified=True)
        client = Client()
        refused = sign_in(client, "ada@acme.example")
    assert refused.status_code == 401  # allauth's error page, ours in look
    assert "did not succeed" in refused.content.decode()
    assert not Person.objects.filter(email="ada@acme.example").exists()


def provider_token(provider: str, client_id: str) -> str:
    """An ID token the provider really issued, to `client_id` (not to Lodestar)."""
    callback = "http://127.0.0.1:9/callback"
    authorize = httpx.post(
        f"{provider}/oauth2/authorize",
        params={
            "client_id": client_id,
            "redirect_uri": callback,
            "response_type": "code",
            "scope": "openid email",
        },
        data={"sub": "ada@acme.example"},
    )
    code = parse_qs(urlsplit(authorize.headers["location"]).query)["code"][0]
    token = httpx.post(
        f"{provider}/oauth2/token",
        data={"grant_type": "authorization_code", "code": code, "redirect_uri": callback},
        auth=(client_id, "any"),
    )
    return token.json()["id_token"]


def decode(id_token: str):
    adapter = SignedTokensAdapter(RequestFactory().get("/"), "sso")
    app = SocialApp(provider="lodestar_oidc", provider_id="sso", client_id="lodestar")
    return adapter._decode_id_token(app, id_token)


def test_a_token_for_another_audience_or_unsigned_is_refused(sso):
    assert decode(provider_token(sso, "lodestar"))["sub"] == "ada@acme.example"
    with pytest.raises(OAuth2Error):
        decode(provider_token(sso, "another-app"))
    _, claims, _ = provider_token(sso, "lodestar").split(".")
    unsigned = base64.urlsafe_b64encode(json.dumps({"alg": "none"}).encode()).rstrip(b"=")
    with pytest.raises(OAuth2Error, match="'none'"):
        decode(f"{unsigned.decode()}.{claims}.")


def test_a_malformed_discovery_document_is_an_error_page_not_a_500(settings, world):
    settings.SOCIALACCOUNT_PROVIDERS = oidc_providers(
        "http://localhost:9/nothing-here", "lodestar", "s", "Acme ID"
    )
    answer = Client().post(START)
    assert answer.status_code == 502
    assert "cannot be reached" in answer.content.decode()


def test_sso_only_leaves_passwords_to_the_break_glass_admins(sso, settings, world):
    settings.SSO_ONLY = True
    settings.SSO_BREAK_GLASS = ["admin"]
    page = Client().get("/login/").content.decode()
    assert "Sign in with Acme ID" in page
    refused = Client().post("/login/", {"username": "member", "password": "pw"})
    assert "passwords are off here" in refused.content.decode()
    assert Client().post("/login/", {"username": "admin", "password": "pw"}).status_code == 302


def test_an_installation_with_sso_never_asks_for_the_setup_code(sso):
    person_create(acting=None, username="someone")
    assert Client().get("/login/").status_code == 200
