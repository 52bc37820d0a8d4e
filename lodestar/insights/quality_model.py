"""A small learned reading of a key result: outcome, output or activity (no Django).

A multinomial logistic regression over the key result's words (single words and pairs,
figures folded to "0") and a few hand features, trained from `quality_set.csv` only by
`scripts/quality_eval.py --train`, in plain Python, and stored as plain numbers in
`quality_model.json` beside this file. Nothing is downloaded or fitted at run time.
Every verdict names the words that decided it ("reads as output: 'hire', 'engineers'").
"""

import json
import math
import random
import re
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from pathlib import Path

from lodestar.insights import quality_rules as rules

STORED = Path(__file__).with_name("quality_model.json")
CLASSES = (rules.OUTCOME, rules.OUTPUT, rules.ACTIVITY)
# Hand features, named so that an explanation can show them in words.
HAND_FEATURES = {
    "#figure": "a figure",
    "#percent": "a percentage",
    "#level": "a level to reach or keep",
    "#opens-task": "opens with a task verb",
    "#opens-change": "opens with a verb of change",
    "#opens-reach": "opens with a verb of reaching",
    "#counts-people": "counts people",
    "#counts-work": "counts pieces of work",
    "#counts-result": "counts a result",
    "#done": "says work is done",
}


def _tokens(title: str) -> list[str]:
    text = title.lower().replace("’", "'")
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)  # a link's words, not its address
    text = re.sub(r"(?<![a-z])\d[\d,.]*", " 0 ", text)  # a figure, not "libp2p" or "p99"
    return re.findall(r"[a-z][a-z0-9'-]*|0|%|\$|[<>]", text)


def features(title: str, unit: str = "") -> list[str]:
    """Words, word pairs and hand features of a key result (as a list of names)."""
    words = _tokens(title)
    found = set(words) | {f"{a} {b}" for a, b in pairwise(words)}
    if words:
        found.add(f"^{words[0]}")
    if unit.strip():
        found.add(f"unit:{unit.strip().lower()}")
    clause = " ".join(c for c in (rules._clause(s) for s in rules._sentences(title)) if c)
    opening, opened = rules._opening(rules._words(clause))
    counted = {what.split(":")[0] for what, _ in rules._counted(clause)}
    hand = {
        "#figure": rules._has_figure(clause),
        "#percent": "%" in clause,
        "#level": rules._states_level(clause),
        "#opens-task": opening in rules.TASK_VERBS or bool(rules._task_verb_form(opening)),
        "#opens-change": opening in rules.IMPROVING_VERBS,
        "#opens-reach": opening in rules.REACHING_VERBS,
        "#counts-people": "people" in counted or rules._hires(opening, opened, clause),
        "#counts-work": "work" in counted,
        "#counts-result": "result" in counted,
        "#done": bool(rules._done_word(clause)),
    }
    found |= {name for name, present in hand.items() if present}
    return sorted(found)


@dataclass(frozen=True)
class Weights:
    """Per class: a bias and a weight per feature name (absent names weigh 0)."""

    bias: dict[str, float]
    weights: dict[str, dict[str, float]]

    def scores(self, names: list[str]) -> dict[str, float]:
        return {
            cls: self.bias[cls] + sum(self.weights[cls].get(n, 0.0) for n in names)
            for cls in CLASSES
        }


def train(
    examples: list[tuple[list[str], str]], *, epochs: int = 40, l2: float = 1e-3, seed: int = 7
) -> Weights:
    """Softmax regression by stochastic gradient descent; features seen once are dropped
    (a word seen in one key result says more about that key result than about English)."""
    seen: dict[str, int] = {}
    for names, _ in examples:
        for name in names:
            seen[name] = seen.get(name, 0) + 1
    kept = {n for n, c in seen.items() if c >= 2}
    data = [([n for n in names if n in kept], label) for names, label in examples]
    bias = {cls: 0.0 for cls in CLASSES}
    weights: dict[str, dict[str, float]] = {cls: {} for cls in CLASSES}
    model = Weights(bias, weights)
    order = list(range(len(data)))
    shuffle = random.Random(seed).shuffle
    for epoch in range(epochs):
        shuffle(order)
        rate = 0.5 / (1 + epoch * 0.1)
        for i in order:
            names, label = data[i]
            chances = _softmax(model.scores(names))
            for cls in CLASSES:
                step = rate * ((1.0 if cls == label else 0.0) - chances[cls])
                bias[cls] += step
                row = weights[cls]
                for n in names:
                    row[n] = row.get(n, 0.0) * (1 - rate * l2) + step
    for cls in CLASSES:  # stored to 4 places; zeros dropped
        weights[cls] = {n: round(w, 4) for n, w in sorted(weights[cls].items()) if round(w, 4)}
        bias[cls] = round(bias[cls], 4)
    return model


def _softmax(scores: dict[str, float]) -> dict[str, float]:
    top = max(scores.values())
    exps = {cls: math.exp(s - top) for cls, s in scores.items()}
    total = sum(exps.values())
    return {cls: e / total for cls, e in exps.items()}


@dataclass(frozen=True)
class Reading:
    style: str
    confidence: float  # the model's probability for `style`
    deciding: tuple[str, ...]  # the features that pushed most towards `style`

    @property
    def reason(self) -> str:
        shown = ", ".join(
            HAND_FEATURES.get(n, f"‘{n.lstrip('^').removeprefix('unit:')}’") for n in self.deciding
        )
        if shown:
            return f"Reads as {self.style}: {shown}."
        return f"Reads as {self.style} from its wording as a whole (no single word decides)."


# Words too common to explain a verdict (they still count in the model).
UNTELLING = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "of",
        "to",
        "for",
        "in",
        "on",
        "at",
        "by",
        "with",
        "from",
        "into",
        "over",
        "is",
        "are",
        "be",
        "has",
        "have",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "our",
        "we",
        "all",
        "every",
        "each",
        "as",
        "0",
        "%",
        "$",
        "<",
        ">",
    ]
)
# The one verdict of the rules that rests on nothing found: no task, no work, no figure, no
# result named (rule 21 in docs/insights.md). On key results from pages the rules were not
# written against it was wrong most often (a state of our own product, "IPFS companion working
# out-of-the-box in Brave", read as a result), so the model reads those key results instead.
# Every other rule names what it found, and on the batch labelled before any run (fresh2)
# those rules were right more often than the model (docs/insights.md, "OKR quality").
WEAK_RULES = ("Names no task and no work",)


def read(model: Weights, title: str, unit: str = "", *, shown: int = 3) -> Reading:
    names = features(title, unit)
    chances = _softmax(model.scores(names))
    style = max(CLASSES, key=chances.__getitem__)
    others = [cls for cls in CLASSES if cls != style]

    def push(name: str) -> float:  # towards `style`, against the strongest other class
        return min(
            model.weights[style].get(name, 0.0) - model.weights[o].get(name, 0.0) for o in others
        )

    deciding: list[str] = []
    for name in sorted((n for n in names if push(n) > 0), key=push, reverse=True):
        words = set(name.lstrip("^").split())
        told = any(
            words & set(d.lstrip("^").split()) for d in deciding
        )  # "implemented", "is implemented"
        if not (words <= UNTELLING or told):
            deciding.append(name)
    return Reading(style, chances[style], tuple(deciding[:shown]))


def classify(
    title: str, kind: str = "", unit: str = "", model: Weights | None = None
) -> rules.Classification:
    """The rules decide when a rule finds something (hires, an opening verb, work or results
    counted, a figure, work said done, a thing of ours); the model reads the rest."""
    verdict = rules.classify_key_result(title, kind, unit)
    if not verdict.reason.startswith(WEAK_RULES):
        return verdict
    reading = read(model or stored(), title, unit)
    return rules.Classification(reading.style, reading.reason)


def to_json(model: Weights) -> str:
    return json.dumps({"bias": model.bias, "weights": model.weights}, indent=0, sort_keys=True)


@cache
def stored() -> Weights:
    data = json.loads(STORED.read_text(encoding="utf-8"))
    return Weights(data["bias"], data["weights"])
