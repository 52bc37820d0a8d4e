"""The one way a domain write is checked before it is saved.

Every service raises django's ValidationError (keyed by field) for bad input; pages
show it beside the field, the API turns it into a 400 body, commands print it.
"""

import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F
from django.utils import timezone

from lodestar.audit.history import actor_name, last_change
from lodestar.scoring.errors import ScoringError

M = TypeVar("M", bound=models.Model)


def refuse_non_finite(instance: models.Model) -> None:
    """NaN and infinity pass Django's own field checks; they would poison every roll-up."""
    errors = {}
    for field in instance._meta.concrete_fields:
        value = getattr(instance, field.attname)
        if (isinstance(value, float) and not math.isfinite(value)) or (
            isinstance(value, Decimal) and not value.is_finite()
        ):
            errors[field.name] = ["Must be a finite number."]
    if errors:
        raise ValidationError(errors)


def validated_save(
    instance: M, *, exclude: list[str] | None = None, update_fields: list[str] | None = None
) -> M:
    refuse_non_finite(instance)
    instance.full_clean(exclude=exclude)
    if not instance._state.adding and is_versioned(type(instance)):
        bump_version(instance, None)  # a state change (activate, grade…) is an edit too
    instance.save(update_fields=update_fields)
    return instance


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
    when = f"at {at:%H:%M}" if at.date() == timezone.localdate() else f"on {at:%d %b %Y at %H:%M}"
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
    check: Callable[[M], None] | None = None,
    expected_version: int | None = None,
) -> M:
    """Set the given fields, validate, and save only those fields (PATCH semantics), so
    that an object read before a concurrent check-in never writes back stale values.

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
    for name, value in changes.items():
        setattr(instance, name, value)
    if check:
        check(instance)
    if not changes:
        return instance
    refuse_non_finite(instance)
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
