"""Who a command acts as: `--as LOGIN`, or the installation itself."""

from django.core.management.base import CommandError

from lodestar.org.models import Person


def person_named(login: str | None) -> Person | None:
    if login is None:
        return None
    person = Person.objects.filter(username=login, is_active=True).first()
    if person is None:
        raise CommandError(f"No active person with login {login!r}.")
    return person
