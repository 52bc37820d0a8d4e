"""Passkeys as a second factor (django-otp-webauthn): named, listed and removed on the
second-factor page, asked after the password beside the app's codes and the recovery codes,
enough for a role that must have a second factor, and a sign-in of their own. Every
ceremony runs the server's real checks against a passkey in software (soft_passkey); a
forged or garbled answer is refused with a clear message and writes nothing."""

from urllib.parse import urlencode

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from django.core.exceptions import ValidationError
from django.test import Client
from django_otp.plugins.otp_static.models import StaticToken
from django_otp_webauthn.models import WebAuthnCredential

from lodestar.org.second_factor import passkey_name_check, passkey_remove, second_factors_of
from lodestar.org.services import person_update
from lodestar.web.tests.soft_passkey import SoftPasskey

pytestmark = pytest.mark.django_db
ORIGIN = "http://localhost:8000"
JSON = "application/json"


@pytest.fixture(autouse=True)
def served_under_a_name(settings):
    settings.OTP_WEBAUTHN_RP_ID = "localhost"
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [ORIGIN]


def signed_in_with_password(username: str) -> Client:
    client = Client()
    assert client.post("/login/", {"username": username, "password": "pw"}).status_code == 302
    return client


def register(client: Client, name: str = "Work laptop") -> SoftPasskey:
    named = client.post("/account/two-factor/", {"action": "passkey", "name": name})
    assert named.status_code == 200 and "Make the passkey" in named.content.decode()
    passkey = SoftPasskey("localhost", ORIGIN)
    options = client.post("/account/two-factor/passkeys/begin").json()
    assert options["rp"] == {"name": "Lodestar", "id": "localhost"}
    done = client.post(
        "/account/two-factor/passkeys/complete", passkey.create(options), content_type=JSON
    )
    assert done.status_code == 200, done.content
    return passkey


def verify_with(client: Client, passkey: SoftPasskey, **forge):
    options = client.post("/account/passkey/begin").json()
    answer = passkey.get(options, **forge)
    return client.post("/account/passkey/complete?next=/okrs/", answer, content_type=JSON)


def owes_its_second_factor(client: Client) -> bool:
    return client.get("/okrs/").get("Location", "").startswith("/account/verify/")


def test_a_named_passkey_is_listed_comes_with_recovery_codes_and_is_asked_next_time(world):
    client = signed_in_with_password("member")
    passkey = register(client, name="  Work   laptop ")
    page = client.get("/account/two-factor/").content.decode()  # read again by passkeys.js
    codes = [token.token for token in StaticToken.objects.filter(device__user=world.member)]
    assert len(codes) == 10 and all(code in page for code in codes)  # shown once
    again = client.get("/account/two-factor/").content.decode()
    assert not any(code in again for code in codes) and "10 of 10 left" in again
    assert "<td>Work laptop</td>" in again
    factors = second_factors_of(world.member)
    assert [k.name for k in factors.passkeys] == ["Work laptop"] and not factors.app

    later = signed_in_with_password("member")
    assert later.get("/okrs/")["Location"] == "/account/verify/?next=%2Fokrs%2F"
    assert "Use a passkey" in later.get("/account/verify/?next=/okrs/").content.decode()
    answered = verify_with(later, passkey)
    assert answered.status_code == 200 and answered.json()["redirect_url"] == "/okrs/"
    assert later.get("/okrs/").status_code == 200
    assert WebAuthnCredential.objects.get(user=world.member).last_used_at is not None
    recovered = signed_in_with_password("member")  # a lost laptop: a recovery code
    assert recovered.post("/account/verify/", {"code": codes[0]}).status_code == 302
    assert recovered.get("/okrs/").status_code == 200


def test_a_forged_or_replayed_assertion_opens_nothing_and_writes_nothing(world):
    passkey = register(signed_in_with_password("member"))
    stored = WebAuthnCredential.objects.get(user=world.member)
    client = signed_in_with_password("member")
    forged = verify_with(client, passkey, signer=ec.generate_private_key(ec.SECP256R1()))
    assert forged.status_code == 422
    assert forged.json() == {
        "detail": "Invalid authentication response provided.",
        "code": "invalid_authentication_response",
    }
    assert owes_its_second_factor(client)
    again = WebAuthnCredential.objects.get(pk=stored.pk)
    assert (again.sign_count, again.last_used_at) == (stored.sign_count, stored.last_used_at)
    options = client.post("/account/passkey/begin").json()
    answer = passkey.get(options)
    assert client.post("/account/passkey/complete", answer, content_type=JSON).status_code == 200
    replayed = client.post("/account/passkey/complete", answer, content_type=JSON)
    assert replayed.status_code == 400 and "begin the operation first" in replayed.json()["detail"]


GARBLED = [
    ("not JSON", "{not json", 400, "Malformed request"),
    ("not UTF-8", b'{"id": "\xc3\x28"}', 400, "not UTF-8"),
    ("a list", "[1, 2]", 422, "problem with the provided JSON"),
    ("a string", '"passkey"', 422, "problem with the provided JSON"),
    ("an empty object", "{}", 422, "problem with the provided JSON"),
    ("a bad id", '{"id": "!!", "rawId": "!!", "type": "public-key", "response": {}}', 422, ""),
    ("wrong types", '{"id": 1, "rawId": [], "type": 5, "response": "x"}', 422, "problem"),
]


@pytest.mark.parametrize(("what", "body", "status", "says"), GARBLED, ids=[g[0] for g in GARBLED])
def test_a_garbled_answer_is_refused_clearly_in_either_ceremony(world, what, body, status, says):
    client = signed_in_with_password("member")
    client.post("/account/two-factor/", {"action": "passkey", "name": "Phone"})
    client.post("/account/two-factor/passkeys/begin")
    made = client.post("/account/two-factor/passkeys/complete", body, content_type=JSON)
    assert made.status_code == status and says in made.json()["detail"]
    assert not WebAuthnCredential.objects.exists()
    register(client)
    later = signed_in_with_password("member")
    later.post("/account/passkey/begin")
    used = later.post("/account/passkey/complete", body, content_type=JSON)
    assert later.post("/account/passkey/begin", body, content_type=JSON).status_code < 500
    assert used.status_code in (status, 404) and used.json()["detail"]
    assert owes_its_second_factor(later)
    assert WebAuthnCredential.objects.get().last_used_at is None


def test_a_password_alone_neither_replaces_nor_adds_a_second_factor(world):
    register(signed_in_with_password("member"))
    client = signed_in_with_password("member")
    for url in ("/account/two-factor/", "/account/two-factor/passkeys/begin"):
        assert client.post(url, {"action": "start"})["Location"].startswith("/account/verify/")
    assert WebAuthnCredential.objects.count() == 1
    assert not world.member.totpdevice_set.exists()


def test_a_required_role_may_satisfy_it_with_a_passkey(world, settings):
    settings.SECOND_FACTOR_REQUIRED_ROLES = ["admin"]
    admin = signed_in_with_password("admin")
    assert admin.get("/").url == "/account/two-factor/"
    register(admin, name="Security key")
    assert admin.get("/").status_code == 200  # this session has just made it
    later = signed_in_with_password("admin")
    assert later.get("/")["Location"].startswith("/account/verify/")


def test_removing_passkeys_one_by_one_and_only_ones_own(world):
    client = signed_in_with_password("member")
    register(client, "Laptop")
    client.get("/account/two-factor/")  # passkeys.js reads it again: the codes, once
    register(client, "Phone")
    laptop, phone = WebAuthnCredential.objects.filter(user=world.member).order_by("pk")
    theirs = signed_in_with_password("lead")
    refused = theirs.post(f"/account/two-factor/passkeys/{laptop.pk}/remove")
    assert refused.status_code == 404
    with pytest.raises(ValidationError, match="You have no passkey with id"):
        passkey_remove(acting=world.lead, passkey_id=laptop.pk)
    assert client.post(f"/account/two-factor/passkeys/{laptop.pk}/remove").status_code == 302
    assert "Phone" in client.get("/account/two-factor/").content.decode()
    assert StaticToken.objects.filter(device__user=world.member).count() == 10
    client.post(f"/account/two-factor/passkeys/{phone.pk}/remove")
    assert not second_factors_of(world.member).any
    assert not StaticToken.objects.filter(device__user=world.member).exists()  # alone: gone
    assert signed_in_with_password("member").get("/okrs/").status_code == 200


def test_a_passkey_name_is_checked_before_the_browser_makes_it(world):
    assert passkey_name_check(" Phone \n 2 ") == "Phone 2"
    with pytest.raises(ValidationError, match="Name the passkey"):
        passkey_name_check("   ")
    with pytest.raises(ValidationError, match="at most 64"):
        passkey_name_check("x" * 65)
    client = signed_in_with_password("member")
    refused = client.post("/account/two-factor/", {"action": "passkey", "name": " "})
    assert refused.status_code == 400 and "Make the passkey" not in refused.content.decode()


def test_signing_in_with_a_passkey_alone(world, settings):
    passkey = register(signed_in_with_password("member"))
    client = Client()
    assert "Use a passkey" in client.get("/login/").content.decode()
    options = client.post("/account/passkey/begin").json()
    assert options["userVerification"] == "required" and options["allowCredentials"] == []
    answer = passkey.get(options)
    signed_in = client.post("/account/passkey/complete", answer, content_type=JSON)
    assert signed_in.status_code == 200
    assert client.get("/okrs/").status_code == 200  # signed in, second factor given
    person_update(acting=None, person=world.member, is_active=False)
    gone = Client()
    answer = passkey.get(gone.post("/account/passkey/begin").json())
    refused = gone.post("/account/passkey/complete", answer, content_type=JSON)
    assert refused.status_code == 403 and "disabled" in refused.json()["detail"]
    assert gone.get("/okrs/")["Location"].startswith("/login/")
    person_update(acting=None, person=world.member, is_active=True)
    settings.OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False  # SSO_ONLY
    refused = Client().post("/account/passkey/begin")
    assert refused.status_code == 403 and refused.json()["detail"]
    assert "Use a passkey" not in Client().get("/login/").content.decode()


def test_passkeys_are_not_offered_where_browsers_refuse_them(world, settings):
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = []  # SITE_URL on an IP address, over http
    client = signed_in_with_password("member")
    page = client.post("/account/two-factor/", {"action": "passkey", "name": "Phone"})
    assert "Passkeys need this site at an https address" in page.content.decode()
    assert "Make the passkey" not in page.content.decode()


HOSTILE_NAMES = ["", "\x00", "a\ud800b", "x" * 10_000, "<script>alert(1)</script>", "Ω" * 64]


def test_a_hostile_passkey_name_is_refused_or_kept_as_text_never_a_server_error(world):
    client = signed_in_with_password("member")
    for name in HOSTILE_NAMES:
        body = urlencode({"action": "passkey", "name": name}, errors="surrogatepass")
        answer = client.post(
            "/account/two-factor/", body, content_type="application/x-www-form-urlencoded"
        )
        assert answer.status_code in (200, 400), name
        if answer.status_code == 400:
            assert "passkey_name" not in client.session
    register(client, name="<script>alert(1)</script>")
    client.get("/account/two-factor/")  # the recovery codes, once
    page = client.get("/account/two-factor/").content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
