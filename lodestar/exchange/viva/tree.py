"""The tree of a Viva export: what each goal is (by its place, whatever the customer
called it), where it goes in Lodestar, and its weight there; loops and weights that sum
to nothing refused (the package's notes say the rules)."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from lodestar.exchange.layout import normalised
from lodestar.exchange.reader import Problem
from lodestar.exchange.viva.export import DELIVERABLE, KEY_RESULT, OBJECTIVE, Goal

# The product's own words; any other word is placed by the tree.
TERMS = {
    "objective": OBJECTIVE,
    "keyresult": KEY_RESULT,
    "kr": KEY_RESULT,
    "kpi": KEY_RESULT,
    "deliverable": DELIVERABLE,
    "project": DELIVERABLE,
}


@dataclass
class Placed:
    goal: Goal
    role: str
    holder: Goal | None = None  # the objective it sits in (parent, for an objective)
    weight: float = 1.0
    shares: list[tuple[Goal, float]] = field(default_factory=list)


class Tree:
    def __init__(self, goals: list[Goal], problems: list[Problem]):
        self.problems, self.goals, self.counts = problems, {}, Counter()
        self.decisions: list[str] = []
        self.index(goals)

    def refuse(self, goal: Goal, column: str, message: str) -> None:
        self.problems.append(Problem(goal.place, goal.row, column, message))

    def index(self, goals: list[Goal]) -> None:
        for goal in goals:
            if goal.id in self.goals:
                first = self.goals[goal.id]
                self.refuse(goal, "Id", f"The Id {goal.id} is also row {first.row}'s.")
                continue
            self.goals[goal.id] = goal
        outside = Counter()
        for goal in self.goals.values():
            kept = [a for a in goal.aligned_to if a.id in self.goals]
            outside[goal.id] = len(goal.aligned_to) - len(kept)
            goal.aligned_to = kept
        if dropped := sum(outside.values()):
            self.decisions.append(
                f"{dropped} alignments name goals the export does not hold (another time "
                "period's, or deleted): those goals are imported without them."
            )

    def looped(self) -> bool:
        """A goal aligned, through others, to itself: refused, naming the loop. Walked
        with a stack of its own (an export may be deep)."""
        state: dict[str, int] = {}  # 1 on the path being walked, 2 done
        looped = False
        for first in self.goals.values():
            if first.id in state:
                continue
            path, stack = [first], [iter(first.aligned_to)]
            state[first.id] = 1
            while stack:
                alignment = next(stack[-1], None)
                if alignment is None:
                    state[path.pop().id] = 2
                    stack.pop()
                    continue
                parent = self.goals[alignment.id]
                if state.get(parent.id) == 1:
                    loop = [*path[path.index(parent) :], parent]
                    titles = " → ".join(f"{g.title!r} (Id {g.id})" for g in loop)
                    self.refuse(path[-1], "Aligned To", f"The alignment makes a loop: {titles}.")
                    looped = True
                elif parent.id not in state:
                    state[parent.id] = 1
                    path.append(parent)
                    stack.append(iter(parent.aligned_to))
        return looped

    def roles(self) -> None:
        """Each goal's role, parents first (no loop is left: `looped` came first)."""
        children = defaultdict(list)
        for goal in self.goals.values():
            if goal.aligned_to:
                children[goal.aligned_to[0].id].append(goal)
        self.roles_by_id: dict[str, str] = {}
        for goal in self.goals.values():
            chain = [goal]
            while (above := self.parent(chain[-1])) and above.id not in self.roles_by_id:
                chain.append(above)
            for member in reversed(chain):
                if member.id not in self.roles_by_id:
                    self.roles_by_id[member.id] = self.role(member, children[member.id])

    def role(self, goal: Goal, children: list[Goal]) -> str:
        term = TERMS.get(normalised(goal.type))
        if term is not None:
            return term
        parent = self.parent(goal)
        above = self.roles_by_id[parent.id] if parent else None
        holds = any(TERMS.get(normalised(child.type)) != DELIVERABLE for child in children)
        measures = goal.target is not None or bool(goal.metric_name or goal.outcome_type)
        if above is None or (holds and not (above == OBJECTIVE and measures)):
            term = OBJECTIVE
        else:
            term = KEY_RESULT if above == OBJECTIVE else DELIVERABLE
        self.counts[f"term {goal.type or '(none)'} as {term}"] += 1
        return term

    def parent(self, goal: Goal) -> Goal | None:
        return self.goals[goal.aligned_to[0].id] if goal.aligned_to else None

    def objective_above(self, goal: Goal) -> Goal | None:
        parent = self.parent(goal)
        while parent is not None and self.roles_by_id[parent.id] != OBJECTIVE:
            parent = self.parent(parent)
        return parent

    def weights(self) -> dict[tuple[str, str], float]:
        """{(child, parent): weight} over every alignment; refused where siblings weigh
        nothing together."""
        groups = defaultdict(list)
        for goal in self.goals.values():
            for alignment in goal.aligned_to:
                groups[alignment.id].append((goal, alignment.weight))
        found = {}
        for parent_id, members in groups.items():
            given = [weight for _, weight in members if weight is not None]
            missing = len(members) - len(given)
            if given and sum(given) == 0 and not missing:
                parent = self.goals[parent_id]
                self.refuse(
                    parent,
                    "Aligned To",
                    f"The {len(members)} goals aligned to {parent.title!r} (Id {parent_id}) "
                    "weigh 0 % together: its progress would be nothing over nothing. Give "
                    "them weights, or none (equal weights).",
                )
            rest = max(0.0, 100 - sum(given)) / missing if given and missing else 1.0
            for goal, weight in members:
                found[goal.id, parent_id] = rest if weight is None else weight
        return found

    def placed(self) -> list[Placed]:
        self.roles()
        weights = self.weights()
        placed = []
        for goal in self.goals.values():
            role = self.roles_by_id[goal.id]
            parent = self.parent(goal)
            weight = weights.get((goal.id, parent.id), 1.0) if parent else 1.0
            holder = self.objective_above(goal)
            if role == OBJECTIVE:
                if parent is not None and parent is not holder:
                    self.counts["objective under a key result"] += 1
                if len(goal.aligned_to) > 1:
                    self.counts["objective aligned to several"] += 1
                placed.append(Placed(goal, role, holder, weight))
                continue
            if holder is None:
                self.refuse(
                    goal,
                    "Aligned To",
                    f"The {role} {goal.title!r} is aligned to no objective: Lodestar keeps "
                    "each key result in an objective. Align it to one in Viva's file.",
                )
                continue
            if role == DELIVERABLE and parent is not holder:
                weight = 0.0  # work under a key result: Viva did not count it in the objective
                self.counts["deliverable under a key result"] += 1
            elif role == DELIVERABLE:
                self.counts["deliverable under an objective"] += 1
            elif parent is not holder:
                self.counts["key result under a key result"] += 1
            shares = [
                (self.goals[a.id], weights[goal.id, a.id])
                for a in goal.aligned_to[1:]
                if self.roles_by_id[a.id] == OBJECTIVE and self.goals[a.id] is not holder
            ]
            placed.append(Placed(goal, role, holder, weight, shares))
        return placed

    def said(self) -> list[str]:
        """The terms read and the placements made, for the dry run."""
        lines = []
        terms = sorted(k for k in self.counts if k.startswith("term ") and " as " in k)
        if terms:
            read = "; ".join(f"{self.counts[k]} {k[5:].replace(' as ', ' as ', 1)}" for k in terms)
            lines.append(f"Terms of this organisation read by their place in the tree: {read}.")
        said = {
            "objective under a key result": "objectives aligned to a key result serve that "
            "key result's objective",
            "objective aligned to several": "objectives aligned to several goals keep the "
            "first as their parent",
            "key result under a key result": "key results under a key result go into the "
            "objective above",
            "deliverable under a key result": "deliverables under key results become "
            "milestones of weight 0 in the objective above (Lodestar's initiatives serve "
            "strategic objectives, which the export has none of)",
            "deliverable under an objective": "deliverables under objectives become milestones "
            "counted by their weight",
        }
        lines += [f"{self.counts[k]} {words}." for k, words in said.items() if self.counts[k]]
        return self.decisions + lines
