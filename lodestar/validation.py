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
    refuse_non_finite(instance)
    instance.full_clean(exclude=[*(exclude or []), *loaded], validate_constraints=constraints)
    instance.save(update_fields=update_fields)
    return instance


def apply_changes(instance: M, changes: dict, *, check: Callable[[M], None] | None = None) -> M:
    """Set the given fields, validate, and save only those fields (PATCH semantics), so
    that an object read before a concurrent check-in never writes back stale values."""
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
    return validated_save(instance, update_fields=list(changes))


@contextmanager
def scoring_errors() -> Iterator[None]:
    """Translate the pure scoring module's refusals into the domain error."""
    try:
        yield
    except ScoringError as error:
        message = error.message[:1].upper() + error.message[1:]
        message = message if message.endswith(".") else f"{message}."
        raise ValidationError({error.field: [message]}) from error
