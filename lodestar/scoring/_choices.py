"""Turning a stored text value into one of the scoring enums, with a clear refusal."""

from enum import Enum, StrEnum
from typing import TypeVar

from lodestar.scoring.errors import ScoringError

E = TypeVar("E", bound=StrEnum)


def parse_choice(choices: type[E], value: E | str, field: str) -> E:
    """Return the member of `choices` whose value is `value`, else raise ScoringError.

    Accepts a member, its text value, or a member of another text enum with the same
    value (e.g. a web framework's choices class): such members hash by *name*, so a
    plain `choices(value)` lookup would miss them; we compare by value instead.
    """
    text = value.value if isinstance(value, Enum) else value
    for member in choices:
        if member.value == text:
            return member
    expected = ", ".join(member.value for member in choices)
    raise ScoringError(field, f"unknown {field} {text!r} (expected one of: {expected})")
