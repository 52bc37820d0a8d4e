"""The outcome / output / activity checker against real published key results.

`quality_set.csv` holds key results published by GitLab, Sourcegraph, the Node.js
projects, IPFS and libp2p and OKR guides, each labelled by what it states. These tests
print precision, recall and F1 per class and for the question the quality check asks
("is this an outcome?") and keep a floor under each: for the rules on their held-out
batches (not blind any more: the rules were revised after each first run), and for the
checker (the rules, else the model where no rule found anything) on rows judged by a model
trained without their publisher, and on the batches labelled before anything was run on them.
The full figures, one source at a time too: `.venv/bin/python scripts/quality_eval.py`.
"""

import csv
import inspect
from collections import Counter
from pathlib import Path

import pytest

from lodestar.insights import quality_model, quality_rules
from lodestar.insights.quality_measure import (
    figures,
    groups_by,
    judged_apart,
    publisher,
    trained_on_the_set,
)
from lodestar.insights.quality_rules import ACTIVITY, OUTCOME, OUTPUT, classify_key_result

LABELLED = Path(quality_rules.__file__).with_name("quality_set.csv")
CLASSES = (OUTCOME, OUTPUT, ACTIVITY)
# Floors just under what the rules reach (see docs/insights.md, "OKR quality").
OUTCOME_F1_FLOOR = {
    "dev": 0.99,
    "holdout": 0.99,
    "holdout2": 0.95,
    "holdout3": 0.94,
    "holdout4": 0.95,
    "fresh2": 0.93,
    "fresh3": 0.90,
    "fresh4": 0.87,
}
ADOPTED = "strong rules, else model (adopted)"
# The checker on rows whose publisher (GitLab, Sourcegraph, everyone else) the model never
# saw, just under what it reaches (docs/insights.md, "OKR quality").
UNSEEN_PUBLISHER_FLOOR = {
    "is an outcome": 0.94,
    "is not an outcome": 0.95,
    OUTCOME: 0.94,
    OUTPUT: 0.86,
    ACTIVITY: 0.92,
}


def labelled_rows() -> list[dict[str, str]]:
    with LABELLED.open(encoding="utf-8") as lines:
        return list(csv.DictReader(line for line in lines if not line.startswith("#")))


def scores(pairs: list[tuple[bool, bool]]) -> tuple[float, float, float]:
    """Precision, recall, F1 of (expected, found) pairs for one class."""
    hits = sum(1 for expected, found in pairs if expected and found)
    found = sum(1 for _, f in pairs if f)
    expected = sum(1 for e, _ in pairs if e)
    precision = hits / found if found else 0.0
    recall = hits / expected if expected else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def judged(rows: list[dict[str, str]]) -> list[tuple[str, str]]:
    return [
        (row["label"], classify_key_result(row["key_result"], row["kind"]).style) for row in rows
    ]


def report(name: str, pairs: list[tuple[str, str]]) -> dict[str, tuple[float, float, float]]:
    figures = {cls: scores([(e == cls, f == cls) for e, f in pairs]) for cls in CLASSES}
    figures["is an outcome"] = figures[OUTCOME]
    figures["is not an outcome"] = scores([(e != OUTCOME, f != OUTCOME) for e, f in pairs])
    print(f"\n{name}: {len(pairs)} key results, {Counter(e for e, _ in pairs)}")
    for question, (precision, recall, f1) in figures.items():
        print(f"  {question:<18} precision {precision:.3f}  recall {recall:.3f}  F1 {f1:.3f}")
    return figures


def test_the_set_is_real_labelled_and_sourced():
    rows = labelled_rows()
    assert len(rows) >= 150
    assert {row["label"] for row in rows} == set(CLASSES)
    assert all(row["reason"].strip() and row["source"].startswith("http") for row in rows)
    assert len({row["key_result"] for row in rows}) == len(rows), "a key result twice"
    assert len({row["source"] for row in rows}) >= 10


def test_the_rules_keep_their_figures_on_the_batches_they_were_revised_on():
    rows = labelled_rows()
    report("rules, all", judged(rows))
    for split, floor in OUTCOME_F1_FLOOR.items():
        held = report(f"rules, {split}", judged([row for row in rows if row["split"] == split]))
        assert held["is an outcome"][2] >= floor, split


def test_the_checker_keeps_its_figures_on_publishers_its_model_never_saw():
    rows = labelled_rows()
    feats = [quality_model.features(row["key_result"]) for row in rows]
    pairs = judged_apart(rows, groups_by(rows, lambda r: publisher(r["source"])), feats)
    for method in ("rules", "model", ADOPTED):
        report(f"leave one publisher out: {method}", pairs[method])
    found = figures(pairs[ADOPTED])
    assert {q: round(found[q][2], 2) >= floor for q, floor in UNSEEN_PUBLISHER_FLOOR.items()} == {
        q: True for q in UNSEEN_PUBLISHER_FLOOR
    }


@pytest.mark.parametrize(
    ("split", "question", "floor"),
    [
        ("fresh1", "is not an outcome", 0.89),
        ("fresh2", "is an outcome", 0.95),
        ("fresh3", "is an outcome", 0.90),
    ],
)
def test_the_checker_beats_the_rules_on_the_batches_labelled_before_any_run(split, question, floor):
    """Each batch judged by a model trained without it (fresh1: 63 of 69 are activities, so
    its "is an outcome" is too small a sample to read)."""
    rows = labelled_rows()
    feats = [quality_model.features(row["key_result"]) for row in rows]
    fresh = [i for i, row in enumerate(rows) if row["split"] == split]
    pairs = judged_apart(rows, [fresh], feats)
    rules = report(f"{split}: rules", pairs["rules"])
    adopted = report(f"{split}: {ADOPTED}", pairs[ADOPTED])
    assert adopted[question][2] >= floor
    assert adopted[question][2] >= rules[question][2]


def test_the_stored_model_is_the_one_the_labelled_set_trains():
    assert quality_model.to_json(trained_on_the_set(labelled_rows())) + "\n" == (
        quality_model.STORED.read_text(encoding="utf-8")
    ), "run: .venv/bin/python scripts/quality_eval.py --train"


@pytest.mark.parametrize(
    ("title", "style", "words"),
    [
        # where no rule finds anything, the model reads it and names the words that decided
        ("A bitswap implementation exists and interops with js", ACTIVITY, "Reads as activity:"),
        ("POC of WebRTC transport", ACTIVITY, "Reads as activity:"),
    ],
)
def test_the_model_names_the_words_that_decided(title, style, words):
    found = quality_model.classify(title)
    assert (found.style, found.reason.startswith(words), "‘" in found.reason) == (
        style,
        True,
        True,
    ), found.reason


@pytest.mark.parametrize(
    ("title", "kind", "style", "because"),
    [
        # a milestone that states a result reached is an outcome, whatever its kind
        ("Lead time brought under two days", "milestone", OUTCOME, "level"),
        ("GitLab.com available 99.95%", "milestone", OUTCOME, "figure"),
        ("1 post hits top 5 in Hacker News", "milestone", OUTCOME, "result"),
        # output counted in units of work is not an outcome, whatever its kind
        ("Hire 10 new engineers by end of Q2", "metric", OUTPUT, "hires"),
        ("Recruit 40 volunteers for the spring drive", "metric", OUTPUT, "hires"),
        ("Publish 15 pieces of blog and social technical content", "metric", OUTPUT, "pieces"),
        ("Hand out 5,000 leaflets at stations", "metric", OUTPUT, "leaflets"),
        ("Ship 3 features to improve retention", "metric", OUTPUT, "features"),
        # a task is an activity, whatever it is meant to improve
        ("Ship the new search to improve conversion", "metric", ACTIVITY, "“ship”"),
        ("GDPR policy fully implemented", "milestone", ACTIVITY, "“implemented”"),
        # results, with or without an opening verb
        ("Raise NPS from 45 to 70", "metric", OUTCOME, "“raise”"),
        ("Keep uptime at or above 99.9%", "stay_above", OUTCOME, "“keep”"),
        ("Net revenue retention of 115%", "metric", OUTCOME, "figure"),
        ("Ship EE by default. Trials increase 100%.", "milestone", OUTCOME, "figure"),
        ("IACV doubles year over year", "milestone", OUTCOME, "changes"),
        ("Everyone knows where to find the roadmap", "milestone", OUTCOME, "“knows”"),
        ("Get mentioned by influential developers", "milestone", OUTCOME, "others"),
        ("Top-5 post on Hacker News", "milestone", OUTCOME, "result"),
        ("No gitter.im downtime", "stay_below", OUTCOME, "bad"),
        # work, however it is told
        ("Meet hiring plan", "metric", OUTPUT, "hires"),
        ("6 outbound SDRs ramped", "metric", OUTPUT, "hires"),
        ("We have shipped 3 enterprise case studies", "metric", OUTPUT, "studies"),
        ("100% of inbound leads are contacted within 5 mins", "metric", OUTCOME, "figure"),
        ("100% of trials are given health scores", "metric", OUTPUT, "share"),
        ("Each team member devotes 2d per milestone to tech debt", "metric", ACTIVITY, "time"),
        ("Product is working to improve Cloud retention", "milestone", ACTIVITY, "under way"),
        ("The Board receives monthly financial updates", "milestone", ACTIVITY, "work"),
        ("Peerpad runs on Firefox", "milestone", ACTIVITY, "thing of ours"),
        ("Understand why enterprise customers leave", "milestone", ACTIVITY, "research"),
        ("100% of managers have access to compensation data", "metric", OUTPUT, "our own people"),
        ("90% of new hires say onboarding was excellent", "stay_above", OUTCOME, "“say”"),
        ("3 enterprise customer stories per quarter", "metric", OUTPUT, "stories"),
        ("Users are greeted by a welcome page", "milestone", ACTIVITY, "feature"),
        ("ProtoSchool has its own roadmap", "milestone", ACTIVITY, "our own making"),
        ("Users mention how good the error tracking docs are", "milestone", OUTCOME, "mention"),
        ("Positive feedback from customers", "milestone", OUTCOME, "result"),
        ("Versions published without any human in the loop", "milestone", ACTIVITY, "published"),
        ("libp2p has a network debugging tool", "milestone", ACTIVITY, "our own making"),
    ],
)
def test_it_reads_what_the_key_result_states_not_its_kind(title, kind, style, because):
    found = classify_key_result(title, kind)
    assert (found.style, because in found.reason) == (style, True), found.reason


def test_a_unit_of_work_makes_a_figure_output():
    found = classify_key_result("20 a week", "metric", unit="calls")
    assert found.style == OUTPUT
    assert "“calls”" in found.reason


def test_the_rules_and_the_model_are_plain_python():
    for module in (quality_rules, quality_model):
        assert "django" not in inspect.getsource(module)
        assert "sklearn" not in inspect.getsource(module)
