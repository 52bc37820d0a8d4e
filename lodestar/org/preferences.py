"""How a person reads the pages: their time zone and language (`web.locale` applies them to
each request). Empty, the installation's time zone (TIME_ZONE) and the browser's language
(Accept-Language, else LANGUAGE_CODE). Theirs alone: kept out of the history, and set by a
viewer too (`Action.PREFER`)."""

import functools
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError

from lodestar.org.acting import Actor, personal_service
from lodestar.org.models import Person
from lodestar.org.permissions import Action, require


@functools.cache
def time_zones() -> list[str]:
    """The IANA zones Python knows (Europe/Berlin, America/Sao_Paulo…), without the
    system's aliases of no place (localtime, Factory)."""
    return sorted(z for z in zoneinfo.available_timezones() if "/" in z or z == "UTC")


def zone_of(person: Person) -> zoneinfo.ZoneInfo | None:
    if not person.time_zone:
        return None
    try:
        return zoneinfo.ZoneInfo(person.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None  # a zone since withdrawn from the system: the installation's


def languages() -> dict[str, str]:
    return dict(settings.LANGUAGES)


@personal_service
def person_preferences_set(
    *, acting: Actor, person: Person, time_zone: str | None = None, language: str | None = None
) -> Person:
    """None leaves a preference as it is; "" goes back to the default."""
    require(acting, Action.PREFER, person)
    problems = {}
    if time_zone is not None and time_zone and time_zone not in time_zones():
        problems["time_zone"] = [
            f"“{time_zone[:64]}” is not a time zone: name one as Europe/Berlin or UTC."
        ]
    if language is not None and language and language not in languages():
        problems["language"] = [
            f"“{language[:10]}” is not a language of Lodestar: one of {', '.join(languages())}."
        ]
    if problems:
        raise ValidationError(problems)
    fields = []
    if time_zone is not None:
        person.time_zone = time_zone
        fields.append("time_zone")
    if language is not None:
        person.language = language
        fields.append("language")
    if fields:
        person.save(update_fields=fields)  # not a change of the person: no new version
    return person
