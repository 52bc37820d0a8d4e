"""Finding the people a command or a sheet names."""

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.db.models import Q

from lodestar.org.models import Person


def person_named(login: str | None) -> Person | None:
    """Who a command acts as: `--as LOGIN`, or the installation itself."""
    if login is None:
        return None
    person = Person.objects.filter(username=login, is_active=True).first()
    if person is None:
        raise CommandError(f"No active person with login {login!r}.")
    return person


def person_named_by(name: str, column: str) -> Person:
    """The one person whose login or e-mail (either case) is `name`, for a sheet's
    `column`. E-mails are unique and every one on file is verified: an admin set it, or
    its person confirmed it from a link sent to it. A name that is one person's login and
    another's e-mail names nobody: the import never picks "the first of either"."""
    found = list(Person.objects.filter(Q(username__iexact=name) | Q(email__iexact=name))[:3])
    if not found:
        raise ValidationError({column: [f"No person with login or e-mail {name!r}."]})
    if len(found) > 1:
        logins = " and ".join(sorted(person.username for person in found))
        count = "two people" if len(found) == 2 else "several people"
        raise ValidationError(
            {
                column: [
                    f"{name!r} names {count} ({logins}) by login or e-mail: an admin gives "
                    "each a login and an e-mail of their own."
                ]
            }
        )
    return found[0]
