"""Invitations: a person an admin adds by e-mail receives a one-time link to choose a
password (`/invitation/<uid>/<token>/`), or, with single sign-on, the way to sign in by it.

The token is Django's password-reset token with its own salt: its hash covers the
person's password (unusable until they choose one), last sign-in and e-mail, so it dies
the moment a password is set, or the e-mail changes, and needs no model of its own. It
lives PASSWORD_RESET_TIMEOUT (three days unless set); the admin can send another.

A list of people to invite (pasted, or a CSV file) is read here into rows of text; the
service (`person_invite_many`) judges every row.
"""

import csv
import io

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from lodestar.links import absolute
from lodestar.org.models import Person
from lodestar.sso.offer import sso_offer

COLUMNS = ("email", "first_name", "last_name", "role", "unit")
# What a header cell may say for each column (lower case, spaces and "-" dropped).
HEADERS = {
    "email": "email",
    "e-mail": "email",
    "mail": "email",
    "firstname": "first_name",
    "first_name": "first_name",
    "givenname": "first_name",
    "lastname": "last_name",
    "last_name": "last_name",
    "surname": "last_name",
    "familyname": "last_name",
    "role": "role",
    "unit": "unit",
    "team": "unit",
}
# One invitation list: a company's first wave, not its directory (that is SCIM's).
MAX_ROWS = 1000


class InvitationTokens(PasswordResetTokenGenerator):
    key_salt = "lodestar.org.invitations.InvitationTokens"


invitation_tokens = InvitationTokens()


def invitation_link(person: Person) -> str:
    uid = urlsafe_base64_encode(force_bytes(person.pk))
    return absolute(reverse("invitation", args=[uid, invitation_tokens.make_token(person)]))


def send_invitation(person: Person, invited_by: Person | None) -> None:
    """The link to choose a password; with single sign-on, the way to sign in by it too,
    and only that when passwords are off (SSO_ONLY) for this person."""
    days = max(1, settings.PASSWORD_RESET_TIMEOUT // 86400)
    by = f"{invited_by} invited you" if invited_by else "You are invited"
    sso = sso_offer()
    by_sso = f"Sign in with {sso.name} at {absolute(reverse('login'))}" if sso is not None else ""
    if sso is not None and sso.only and person.username not in settings.SSO_BREAK_GLASS:
        how = f"{by_sso} ({person.email})."
    else:
        how = (
            f"Choose your password here (the link works once, for {days} days):\n"
            f"{invitation_link(person)}\n\nThen sign in as {person.username}."
        )
        if by_sso:
            how += f"\n\nOr: {by_sso[0].lower()}{by_sso[1:]}."
    send_mail(
        "You are invited to Lodestar",
        f"Hello {person.first_name or person.username},\n\n"
        f"{by} to Lodestar, where your company keeps its scorecard and OKRs.\n\n{how}",
        None,
        [person.email],
    )


def read_rows(text: str) -> list[dict[str, str]]:
    """The rows of a pasted list or a CSV file: one person a line, in the columns
    e-mail, first name, last name, role, unit, or in any order a header line names.
    Commas, semicolons or tabs separate; blank lines are skipped. Each row keeps its line
    number (`line`) so a refusal can name it."""
    lines = text.lstrip("\ufeff").splitlines()
    first = next((line for line in lines if line.strip()), "")
    delimiter = "\t" if "\t" in first else ";" if ";" in first and "," not in first else ","
    try:
        return parse(lines, delimiter)
    except csv.Error as error:  # a cell over the csv module's limit, a NUL…
        raise ValidationError({"people": [f"This is not a list of people: {error}."]}) from None


def parse(lines: list[str], delimiter: str) -> list[dict[str, str]]:
    rows = []
    columns = COLUMNS
    for number, cells in enumerate(csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter)):
        cells = [cell.strip() for cell in cells]
        if not any(cells):
            continue
        names = [HEADERS.get(cell.lower().replace(" ", "").replace("-", "")) for cell in cells]
        if not rows and columns is COLUMNS and "email" in names and "@" not in "".join(cells):
            columns = tuple(name or "" for name in names)  # a header line
            continue
        row = {name: "" for name in COLUMNS}
        row.update({name: cell for name, cell in zip(columns, cells, strict=False) if name})
        row["line"] = number + 1
        rows.append(row)
    return rows
