"""Calculated measures: a formula over other measures, e.g. `([M12] + [M13]) / 2`.

A reference is `[M<id>]` (or `[<id>]`); the rest is arithmetic (+ − × ÷, parentheses,
numbers) and the functions `min`, `max`, `abs`, `sum` and `round`. Evaluated by
simpleeval, which walks the expression's syntax tree and allows nothing else: no
names, attributes, calls or `eval`. A division by zero gives no value (N/A).
"""

import math
import re

import simpleeval

from lodestar.scoring.errors import ScoringError

REFERENCE = re.compile(r"\[\s*M?(\d+)\s*\]", re.IGNORECASE)
FUNCTIONS = {"min": min, "max": max, "abs": abs, "sum": lambda *xs: sum(xs), "round": round}
MAX_LENGTH = 500


def references(formula: str) -> list[int]:
    """The ids of the measures a formula reads, in order of first appearance."""
    seen: dict[int, None] = {}
    for match in REFERENCE.finditer(formula):
        seen.setdefault(int(match.group(1)), None)
    return list(seen)


def _expression(formula: str) -> str:
    return REFERENCE.sub(lambda match: f"m{match.group(1)}", formula)


def _evaluator(values: dict[int, float]) -> simpleeval.SimpleEval:
    # No operator beyond arithmetic and comparisons: `**` could hang the worker.
    operators = {
        op: fn
        for op, fn in simpleeval.DEFAULT_OPERATORS.items()
        if op.__name__ not in {"Pow", "BitXor", "LShift", "RShift"}
    }
    names = {f"m{pk}": value for pk, value in values.items()}
    return simpleeval.SimpleEval(operators=operators, functions=FUNCTIONS, names=names)


def check(formula: str) -> list[int]:
    """Refuse a formula that does not parse or uses anything but references, numbers,
    arithmetic and the allowed functions; returns its references."""
    if not formula.strip():
        raise ScoringError("formula", "a calculated measure needs a formula")
    if len(formula) > MAX_LENGTH:
        raise ScoringError("formula", f"a formula has at most {MAX_LENGTH} characters")
    refs = references(formula)
    if not refs:
        raise ScoringError("formula", "a formula refers to at least one measure, e.g. [M12]")
    try:
        evaluate(formula, {pk: 1.0 for pk in refs})
    except ScoringError:
        raise
    except Exception as error:  # simpleeval's refusals and syntax errors alike
        raise ScoringError("formula", f"the formula cannot be read: {error}") from error
    return refs


def evaluate(formula: str, values: dict[int, float]) -> float | None:
    """The formula's value for one period, or None (N/A) when an input has no value for
    it, a division by zero happens, or the result is not a finite number."""
    refs = references(formula)
    if any(values.get(pk) is None for pk in refs):
        return None
    try:
        result = _evaluator(values).eval(_expression(formula))
    except ZeroDivisionError:
        return None
    if isinstance(result, bool) or not isinstance(result, int | float):
        raise ScoringError("formula", "the formula does not give a number")
    return float(result) if math.isfinite(result) else None


def find_cycle(edges: dict[int, list[int]], start: int) -> list[int] | None:
    """A path start → … → start through `edges` (measure → the measures it reads), or None."""
    stack: list[tuple[int, list[int]]] = [(start, [start])]
    visited: set[int] = set()
    while stack:
        node, path = stack.pop()
        for nxt in edges.get(node, []):
            if nxt == start:
                return [*path, start]
            if nxt not in visited:
                visited.add(nxt)
                stack.append((nxt, [*path, nxt]))
    return None
