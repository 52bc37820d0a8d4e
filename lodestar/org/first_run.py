"""The first run: an installation where nobody can sign in as an admin (an empty database,
or one filled by an import, whose people have no passwords) is set up by a person, once.

The setup page is unlocked by a one-time code that only whoever runs the server can read: it
is printed to the server's log when the page is first asked for, and kept in a file of the
installation's own directory (readable by its owner only), so that every worker process of
the server checks the same code. The code goes as soon as an admin exists.
`lodestar createadmin` does the same from the shell, where no code is needed."""

import hmac
import logging
import os
import secrets

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError

from lodestar.org.acting import service
from lodestar.org.models import Person
from lodestar.org.services import person_create

logger = logging.getLogger(__name__)
CODE_FILE = "setup-code"
WRONG_CODE = "This is not the setup code. The server's log shows it (look for 'setup code')."
ALREADY_SET_UP = "This installation already has an admin: sign in, or ask them."


def someone_can_administer() -> bool:
    """An active admin who can sign in with a password (an imported admin has none yet)."""
    admins = Person.objects.filter(is_active=True, role=Person.Role.ADMIN)
    return any(person.has_usable_password() for person in admins.only("password")[:50])


def setup_code() -> str:
    """The installation's one-time code, made and logged the first time it is asked for."""
    path = settings.VAR_DIR / CODE_FILE
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        pass
    code = secrets.token_hex(6).upper()  # 2**48: not to be guessed over the web
    try:  # O_EXCL: of two workers asking at once, one writes it and the other reads it
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(descriptor, "w") as file:
        file.write(code)
    logger.warning("Lodestar has no admin yet: open /setup/ and give the setup code %s", code)
    return code


def forget_setup_code() -> None:
    (settings.VAR_DIR / CODE_FILE).unlink(missing_ok=True)


@service
def first_admin_create(*, acting: None, code: str | None, password: str, **person) -> Person:
    """The first admin, from the setup page (with the code) or the shell (`code=None`: whoever
    runs commands on the server already owns the installation)."""
    if someone_can_administer() and code is not None:
        raise PermissionDenied(ALREADY_SET_UP)
    if code is not None and not hmac.compare_digest(code.strip().upper(), setup_code()):
        raise ValidationError({"code": WRONG_CODE})
    try:
        validate_password(password)
    except ValidationError as refused:
        raise ValidationError({"password": refused.messages}) from refused
    admin = person_create(acting=None, role=Person.Role.ADMIN, password=password, **person)
    forget_setup_code()
    return admin
