"""Measuring the OKR quality checker on `quality_set.csv` (no Django): figures per class and
for "is an outcome", and verdicts on rows judged by a model trained without them (grouped
cross-validation). Used by scripts/quality_eval.py and the floors in
tests/test_quality_set.py.
"""

import csv
from collections import defaultdict
from pathlib import Path

from lodestar.insights import quality_model as model
from lodestar.insights.quality_rules import OUTCOME, classify_key_result

LABELLED = Path(model.__file__).with_name("quality_set.csv")


def labelled_rows() -> list[dict[str, str]]:
    with LABELLED.open(encoding="utf-8") as lines:
        return list(csv.DictReader(line for line in lines if not line.startswith("#")))


def publisher(source: str) -> str:
    for name in ("gitlab", "sourcegraph"):
        if name in source:
            return name
    return "others"


def scores(pairs: list[tuple[bool, bool]]) -> tuple[float, float, float]:
    hits = sum(1 for e, f in pairs if e and f)
    found = sum(1 for _, f in pairs if f)
    expected = sum(1 for e, _ in pairs if e)
    precision = hits / found if found else 0.0
    recall = hits / expected if expected else 0.0
    return precision, recall, (2 * precision * recall / (precision + recall) if hits else 0.0)


def figures(pairs: list[tuple[str, str]]) -> dict[str, tuple[float, float, float]]:
    out = {cls: scores([(e == cls, f == cls) for e, f in pairs]) for cls in model.CLASSES}
    out["is an outcome"] = out[OUTCOME]
    out["is not an outcome"] = scores([(e != OUTCOME, f != OUTCOME) for e, f in pairs])
    return out


THRESHOLDS = (0.8, 0.9, 0.95)


def verdicts(fitted: model.Weights, row: dict[str, str]) -> dict[str, str]:
    """Each method's verdict on one key result, the model being `fitted`."""
    title = row["key_result"]
    rule = classify_key_result(title, row["kind"])
    reading = model.read(fitted, title)
    found = {
        "rules": rule.style,
        "model": reading.style,
        "strong rules, else model (adopted)": model.classify(
            title, row["kind"], model=fitted
        ).style,
    }
    for t in THRESHOLDS:  # the model where it is sure, the rules elsewhere
        found[f"model when p>={t:.2f}, else rules"] = (
            reading.style if reading.confidence >= t else rule.style
        )
    return found


def judged_apart(rows, groups, feats) -> dict[str, list[tuple[str, str]]]:
    """(label, verdict) pairs per method, each group judged by a model trained without it."""
    pairs: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for held in groups:
        left_out = set(held)
        fitted = model.train(
            [(feats[i], rows[i]["label"]) for i in range(len(rows)) if i not in left_out]
        )
        for i in held:
            for method, style in verdicts(fitted, rows[i]).items():
                pairs[method].append((rows[i]["label"], style))
    return pairs


def groups_by(rows, group_of) -> list[list[int]]:
    found = defaultdict(list)
    for i, row in enumerate(rows):
        found[group_of(row)].append(i)
    return list(found.values())


def trained_on_the_set(rows: list[dict[str, str]]) -> model.Weights:
    """The model `quality_model.json` stores: trained on every labelled row."""
    return model.train([(model.features(r["key_result"]), r["label"]) for r in rows])
