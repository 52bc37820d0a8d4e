"""How well the OKR quality checker generalises, measured on lodestar/insights/quality_set.csv.

    .venv/bin/python scripts/quality_eval.py            # figures
    .venv/bin/python scripts/quality_eval.py --train    # also rewrite quality_model.json

The rules were written and revised while reading every row, so their figures on the set
(held-out splits included, after revision) are not blind; their blind figures are the
first runs recorded in docs/insights.md. The learned model is measured by grouped
cross-validation: each fold leaves out whole sources (one page at a time, then one
publisher at a time: GitLab, Sourcegraph, everyone else), trains on the rest, and is
scored on what it left out. A combination of the two is scored the same way, which flatters
it: its rules part has read the left-out rows.
"""

import argparse
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from lodestar.insights import quality_model as model
from lodestar.insights.quality_measure import (
    figures,
    groups_by,
    judged_apart,
    labelled_rows,
    publisher,
    trained_on_the_set,
)
from lodestar.insights.quality_rules import classify_key_result


def show(name: str, pairs: list[tuple[str, str]]) -> dict[str, tuple[float, float, float]]:
    found = figures(pairs)
    p, r, f1 = found["is an outcome"]
    per_class = "  ".join(f"{cls} F1 {found[cls][2]:.3f}" for cls in model.CLASSES)
    print(
        f"{name:<44} n={len(pairs):<4} is-an-outcome P {p:.3f} R {r:.3f} F1 {f1:.3f}"
        f"  | not-outcome F1 {found['is not an outcome'][2]:.3f}  | {per_class}"
    )
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--train", action="store_true", help="rewrite quality_model.json")
    args = parser.parse_args()
    rows = labelled_rows()
    print(
        f"{len(rows)} key results from {len({r['source'] for r in rows})} sources: "
        f"{dict(Counter(r['label'] for r in rows))}"
    )
    print("\nRules (read every row while written: not blind)")
    show(
        "rules, all rows",
        [(r["label"], classify_key_result(r["key_result"], r["kind"]).style) for r in rows],
    )
    for split in sorted({r["split"] for r in rows}):
        chosen = [r for r in rows if r["split"] == split]
        show(
            f"rules, split {split}",
            [(r["label"], classify_key_result(r["key_result"], r["kind"]).style) for r in chosen],
        )
    feats = [model.features(r["key_result"]) for r in rows]
    for split in sorted({r["split"] for r in rows if r["split"].startswith("fresh")}):
        held = [i for i, r in enumerate(rows) if r["split"] == split]
        print(f"\nBatch {split}: labelled before anything was run on it; model trained without it")
        for method, pairs in judged_apart(rows, [held], feats).items():
            show(method, pairs)
    for name, group_of in (
        ("leave one source out", lambda r: r["source"]),
        ("leave one publisher out", lambda r: publisher(r["source"])),
    ):
        print(f"\nGrouped cross-validation, {name} (the rules part is not blind)")
        for method, pairs in judged_apart(rows, groups_by(rows, group_of), feats).items():
            show(method, pairs)
    if args.train:
        fitted = trained_on_the_set(rows)
        model.STORED.write_text(model.to_json(fitted) + "\n", encoding="utf-8")
        print(f"\nwrote {model.STORED}")


if __name__ == "__main__":
    main()
