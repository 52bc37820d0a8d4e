"""An installation nobody can administer is set up once: by the setup page with the code from
the server's log, or by `lodestar createadmin`; never again once an admin exists."""

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils.html import escape

from lodestar.org.first_run import CODE_FILE, WRONG_CODE
from lodestar.org.models import Person
from lodestar.org.services import person_create

pytestmark = pytest.mark.django_db

FIELDS = {
    "username": "ada",
    "email": "ada@example.com",
    "first_name": "Ada",
    "last_name": "Lovelace",
    "password": "a long enough passphrase",
}


@pytest.fixture(autouse=True)
def own_var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path  # the code file of this test only (tests run in parallel)
    return tmp_path


def code_in(var_dir) -> str:
    return (var_dir / CODE_FILE).read_text()


def test_every_page_leads_an_anonymous_visitor_to_the_setup_page():
    client = Client()
    assert client.get("/okrs/", follow=True).redirect_chain[-1][0] == "/setup/"
    assert client.get("/login/").url == "/setup/"


def test_the_code_is_logged_kept_private_and_the_same_for_every_worker(own_var_dir, caplog):
    Client().get("/setup/")
    code = code_in(own_var_dir)
    assert code in caplog.text
    assert (own_var_dir / CODE_FILE).stat().st_mode & 0o077 == 0  # its owner's alone
    Client().get("/setup/")
    assert code_in(own_var_dir) == code


def test_a_wrong_code_creates_nobody_and_says_where_the_code_is(own_var_dir):
    Client().get("/setup/")
    answer = Client().post("/setup/", {**FIELDS, "code": "00000000"})
    assert answer.status_code == 400
    assert escape(WRONG_CODE) in answer.content.decode()
    assert not Person.objects.exists()


def test_a_weak_password_is_refused_beside_its_field(own_var_dir):
    Client().get("/setup/")
    answer = Client().post("/setup/", {**FIELDS, "password": "short", "code": code_in(own_var_dir)})
    assert answer.status_code == 400
    assert "too short" in answer.content.decode()
    assert not Person.objects.exists()


def test_the_right_code_makes_the_first_admin_signed_in_and_closes_the_page(own_var_dir):
    client = Client()
    client.get("/setup/")
    answer = client.post("/setup/", {**FIELDS, "code": code_in(own_var_dir).lower()})
    assert answer.status_code == 302
    admin = Person.objects.get(username="ada")
    assert admin.role == Person.Role.ADMIN and admin.check_password(FIELDS["password"])
    assert client.get("/").status_code == 200  # signed in
    assert not (own_var_dir / CODE_FILE).exists()
    assert Client().get("/setup/").status_code == 404
    assert Client().get("/login/").status_code == 200
    again = Client().post("/setup/", {**FIELDS, "username": "eve", "code": "anything"})
    assert again.status_code == 404
    assert not Person.objects.filter(username="eve").exists()


def test_an_imported_admin_without_a_password_leaves_the_installation_to_set_up():
    person_create(acting=None, username="imported", role=Person.Role.ADMIN)
    assert Client().get("/login/").url == "/setup/"


def test_createadmin_makes_an_admin_from_the_shell(monkeypatch, capsys):
    monkeypatch.setenv("LODESTAR_ADMIN_PASSWORD", FIELDS["password"])
    call_command("createadmin", "--username", "ada", "--email", "ada@example.com")
    assert Person.objects.get(username="ada").role == Person.Role.ADMIN
    assert "is an admin now" in capsys.readouterr().out
    with pytest.raises(CommandError, match="email: This e-mail belongs to another person"):
        call_command("createadmin", "--username", "bob", "--email", "ADA@example.com")
    assert Person.objects.count() == 1


def test_once_set_up_the_page_is_gone_for_every_persona(world, signed_in):
    people = [world.admin, world.strat, world.lead, world.member, world.viewer, world.outsider]
    for client in [Client(), *map(signed_in, people)]:
        assert client.get("/setup/").status_code == 404
        assert client.post("/setup/", {**FIELDS, "code": "x"}).status_code == 404
    assert not Person.objects.filter(username="ada").exists()
