"""People change their own password in the app, and reset a forgotten one from a link
e-mailed to them (Django's views; mail through Django's mail backend)."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from lodestar.org.models import Person


def signs_in(username: str, password: str) -> bool:
    answer = Client().post(reverse("login"), {"username": username, "password": password})
    return answer.status_code == 302 and reverse("login") not in answer["Location"]


@pytest.fixture
def member_with_email(world):
    world.member.email = "member@example.com"
    world.member.save(update_fields=["email"])
    return world.member


def test_a_person_changes_their_own_password(world, signed_in):
    browser = signed_in(world.member)
    page = browser.get(reverse("password_change"))
    assert page.status_code == 200 and "Old password" in page.content.decode()
    answer = browser.post(
        reverse("password_change"),
        {
            "old_password": "pw",
            "new_password1": "a-longer-one-7",
            "new_password2": "a-longer-one-7",
        },
    )
    assert answer.status_code == 302 and answer["Location"] == reverse("password_change_done")
    assert "Your password was changed" in browser.get(answer["Location"]).content.decode()
    assert signs_in("member", "a-longer-one-7") and not signs_in("member", "pw")
    # The session that changed it stays signed in.
    assert browser.get(reverse("dashboard")).status_code == 200


def test_a_wrong_current_password_changes_nothing_and_says_so(world, signed_in):
    answer = signed_in(world.member).post(
        reverse("password_change"),
        {
            "old_password": "wrong",
            "new_password1": "a-longer-one-7",
            "new_password2": "a-longer-one-7",
        },
    )
    assert answer.status_code == 200
    assert "Your old password was entered incorrectly" in answer.content.decode()
    assert signs_in("member", "pw")


def test_changing_a_password_needs_a_sign_in():
    answer = Client().get(reverse("password_change"))
    assert answer.status_code == 302 and answer["Location"].startswith(reverse("login"))


def test_a_forgotten_password_is_reset_from_a_link_e_mailed(member_with_email, settings):
    settings.SITE_URL = "https://okr.example.com"
    browser = Client()
    sent = browser.post(reverse("password_reset"), {"email": "MEMBER@example.com"})
    assert sent.status_code == 302 and sent["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["member@example.com"] and "Lodestar" in message.subject
    assert "member" in message.body  # the user name, in case they forgot it too
    link = re.search(r"https://okr\.example\.com(/password-reset/\S+/)", message.body).group(1)
    form = browser.get(link, follow=True)
    assert form.status_code == 200 and "New password" in form.content.decode()
    done = browser.post(
        form.redirect_chain[-1][0] if form.redirect_chain else link,
        {"new_password1": "a-longer-one-7", "new_password2": "a-longer-one-7"},
    )
    assert done.status_code == 302 and done["Location"] == reverse("password_reset_complete")
    assert signs_in("member", "a-longer-one-7")
    # The link works once.
    assert "no longer valid" in browser.get(link, follow=True).content.decode()


def test_an_unknown_address_gets_the_same_answer_and_no_mail(world):
    answer = Client().post(reverse("password_reset"), {"email": "nobody@example.com"})
    assert answer.status_code == 302 and answer["Location"] == reverse("password_reset_done")
    assert mail.outbox == []


def test_an_inactive_person_gets_no_reset_mail(member_with_email):
    Person.objects.filter(pk=member_with_email.pk).update(is_active=False)
    Client().post(reverse("password_reset"), {"email": "member@example.com"})
    assert mail.outbox == []


def test_the_sign_in_and_lock_out_pages_and_ones_own_settings_link_to_them(world, signed_in):
    assert reverse("password_reset") in Client().get(reverse("login")).content.decode()
    browser = signed_in(world.member)
    own_pages = (reverse("api-tokens"), reverse("notification-settings"))
    for page in (*own_pages, reverse("person", args=[world.member.pk])):
        assert reverse("password_change") in browser.get(page).content.decode(), page
    # Nobody is offered to change someone else's password (the top bar's Settings menu
    # offers one's own on every page: look at the page itself).
    other = browser.get(reverse("person", args=[world.lead.pk])).content.decode()
    assert reverse("password_change") not in other.split('<main id="main">', 1)[1]
