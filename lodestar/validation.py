"""The one way a domain write is checked before it is saved.

Every service raises django's ValidationError (keyed by field) for bad input; pages
show it beside the field, the API turns it into a 400 body, commands print it.
"""

import math
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from enum import StrEnum
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F
from django.utils import timezone

from lodestar.audit.history import actor_name, last_change
from lodestar.scoring.errors import ScoringError

M = TypeVar("M", bound=models.Model)
N = TypeVar("N", float, Decimal, int)

# One bound for every surface (forms, API, commands, imports), checked once more at the
# model write path. Business figures stay far inside it; beyond it sums of squares and
# spans overflow, and ids beyond 2**53 are no longer exact in JSON (nor fit SQLite).
NUMBER_LIMIT = 1e12
MAX_ID = 2**53
NUMBER_MESSAGE = f"Must be a number between -{NUMBER_LIMIT:,.0f} and {NUMBER_LIMIT:,.0f}."
TEXT_MESSAGE = "Must not contain NUL characters or broken characters (lone surrogates)."
ID_MESSAGE = f"Must be an id between 1 and {MAX_ID:,}."
# NUL, which PostgreSQL refuses in text, and UTF-16 halves, which no encoding can store.
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def choices_from(rule: type[StrEnum]) -> type[models.TextChoices]:
    """A model field's choices built from a scoring enum (each member with a `label`), so
    that the stored values are the ones the rules know, by construction."""
    return models.TextChoices(rule.__name__, [(m.name, (m.value, m.label)) for m in rule])


def check_number(value: N) -> N:
    """`value` if finite and within ±NUMBER_LIMIT (negative zero becomes zero), else
    ValidationError. Booleans are not numbers here, whatever Python says."""
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        raise ValidationError(NUMBER_MESSAGE, code="bound")
    finite = value.is_finite() if isinstance(value, Decimal) else math.isfinite(value)
    if not finite or not -NUMBER_LIMIT <= value <= NUMBER_LIMIT:
        raise ValidationError(NUMBER_MESSAGE, code="bound")
    return value + 0 if value == 0 else value  # -0.0 + 0 is 0.0


def check_text(value: str) -> str:
    if UNSTORABLE.search(value):
        raise ValidationError(TEXT_MESSAGE, code="bound")
    return value


def check_id(value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_ID:
        raise ValidationError(ID_MESSAGE, code="bound")
    return value


def parse_id(text: object) -> int | None:
    """An id from a query string or a form, or None for anything else ("²", "-1", 2**64)."""
    text = str(text if text is not None else "")
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(MAX_ID)):
        return None
    number = int(text)
    return number if 1 <= number <= MAX_ID else None


def refuse_out_of_bounds(instance: models.Model, fields: list[str] | None = None) -> None:
    """Every number finite and within the bound, every text storable, each refusal named
    by its field: services, commands and imports all save through here. It runs before
    `full_clean`, whose uniqueness queries could not even send unstorable text. Scores the
    roll-up computes (not editable) are only kept finite: they are not input. With
    `fields`, only those are checked (an update leaves the others as stored)."""
    errors = {}
    for field in instance._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        value = getattr(instance, field.attname)
        numeric = isinstance(field, (models.FloatField, models.DecimalField))
        try:
            if numeric and value is not None and field.editable:
                setattr(instance, field.attname, check_number(field.to_python(value)))
            elif isinstance(value, str):
                check_text(value)
            elif isinstance(value, float) and not math.isfinite(value):
                raise ValidationError("Must be a finite number.")
        except ValidationError as error:
            errors[field.name] = error.messages
    if errors:
        raise ValidationError(errors)


def validated_save(
    instance: M,
    *,
    exclude: list[str] | None = None,
    update_fields: list[str] | None = None,
    loaded: tuple[str, ...] = (),
    constraints: bool = True,
) -> M:
    """Validate every field, then save. `loaded` names foreign keys whose objects the
    caller has just read from the database (no existence query again, on a hot path);
    `constraints=False` when the model's constraints only repeat its field validators."""
    refuse_out_of_bounds(instance, update_fields)
    instance.full_clean(exclude=[*(exclude or []), *loaded], validate_constraints=constraints)
    if not instance._state.adding and is_versioned(type(instance)):
        bump_version(instance, None)  # a state change (activate, grade…) is an edit too
    instance.save(update_fields=update_fields)
    return instance


def one_line(error: ValidationError) -> str:
    """A refusal as one line for a command's console: "field: message; field: message"."""
    if hasattr(error, "error_dict"):
        return "; ".join(f"{field}: {' '.join(m)}" for field, m in error.message_dict.items())
    return " ".join(error.messages)


class ConflictError(ValidationError):
    """The object changed since the person read it: their edit would overwrite a change
    they have not seen. Pages answer 409, the API 412 (If-Match)."""

    def __init__(self, message: str):
        super().__init__(message, code="stale")


def stale_message(instance: models.Model) -> str:
    """Who changed it last and when, from the history."""
    entry = last_change(instance)
    if entry is None:
        return "This was changed since you opened it; reload to see the change before saving."
    at = timezone.localtime(entry.timestamp)
    when = f"at {at:%H:%M}" if at.date() == timezone.localdate() else f"on {at:%-d %b %Y at %H:%M}"
    who = actor_name(entry)
    return (
        f"{who[:1].upper()}{who[1:]} changed this {when}; reload to see the change before saving."
    )


def is_versioned(model: type[models.Model]) -> bool:
    return any(field.name == "version" for field in model._meta.concrete_fields)


def bump_version(instance: models.Model, expected_version: int | None) -> None:
    """One conditional UPDATE: of two writers holding the same version only the first
    matches the row; the second, waiting on the first's row lock, then matches none."""
    stored = type(instance)._base_manager.filter(pk=instance.pk)
    if expected_version is not None and not stored.filter(version=expected_version).update(
        version=F("version") + 1
    ):
        raise ConflictError(stale_message(instance))
    if expected_version is None:
        stored.update(version=F("version") + 1)
        instance.version = stored.values_list("version", flat=True).get()
    else:
        instance.version = expected_version + 1


def apply_changes(
    instance: M,
    changes: dict,
    *,
    allowed: set[str] | None = None,
    check: Callable[[M], None] | None = None,
    expected_version: int | None = None,
) -> M:
    """Set the given fields, validate, and save only those fields (PATCH semantics), so
    that an object read before a concurrent check-in never writes back stale values.
    `allowed`: the fields this update may change (the service states them); any other,
    such as a score or a grade with its own path, is refused by name.

    A versioned object counts its edits: with `expected_version` (the version the person
    read) an edit of an object changed since is refused with a ConflictError, and never
    written; without it the edit is saved whatever the version."""
    versioned = is_versioned(type(instance))
    if versioned and expected_version is not None and instance.version != expected_version:
        raise ConflictError(stale_message(instance))
    fields = {field.name for field in instance._meta.concrete_fields}
    unknown = [name for name in changes if name not in fields]
    if unknown:
        raise ValidationError({name: ["Unknown field."] for name in unknown})
    fixed = [name for name in changes if allowed is not None and name not in allowed]
    if fixed:
        raise ValidationError({name: ["This field is not changed here."] for name in fixed})
    for name, value in changes.items():
        setattr(instance, name, value)
    if check:
        check(instance)
    if not changes:
        return instance
    refuse_out_of_bounds(instance, list(changes))
    instance.full_clean()
    if versioned:
        bump_version(instance, expected_version)
    instance.save(update_fields=list(changes))
    return instance


@contextmanager
def scoring_errors() -> Iterator[None]:
    """Translate the pure scoring module's refusals into the domain error."""
    try:
        yield
    except ScoringError as error:
        message = error.message[:1].upper() + error.message[1:]
        message = message if message.endswith(".") else f"{message}."
        raise ValidationError({error.field: [message]}) from error
