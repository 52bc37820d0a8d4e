"""One permission layer for pages, the API and commands: `can(person, action, obj)`.

Roles (docs/domain.md): admin and strategy office are global (Person.role); unit lead, member and
viewer are per unit (Membership.role). A lead's rights cover the unit's whole subtree.

| who              | strategy (scorecards…)    | OKRs                                       |
|------------------|---------------------------|--------------------------------------------|
| admin            | everything                | everything, private ones too               |
| strategy office  | change anything           | change any public OKR; opens cycles        |
| unit lead        | change own subtree's      | change own subtree's, see private ones     |
| member           | read; record own measures | own key results; own and own units' OKRs   |
| viewer           | read                      | read public                                |

A private objective is seen by its owner, the owner's managers, the leads above its
unit, and admins; to everyone else it does not exist (404), and it counts in no shared
figure (docs/domain.md).

Every question is asked with one `Action` on one object, the same way by pages, API,
commands and imports, and the services ask it again inside (`require`), so no surface
can do more than another. The named questions of creating things:

| question                                   | asked as                                 |
|--------------------------------------------|------------------------------------------|
| may write an OKR objective for this unit   | `can(p, ADD_OKR, unit)`                  |
| may write a personal objective for someone | `can(p, ADD_OKR, person)`                |
| may add a key result to an objective       | `can(p, ADD, objective)`                 |
| may hold (share) this key result           | `can(p, HOLD, key_result)` and ADD above |
| may link this measure to a key result      | `can(p, LINK, measure)`: record values   |
| may record a value of this measure         | `can(p, ADD, measure)`                   |
| may grade this objective                   | `can(p, GRADE, objective)`               |
| may run a cycle's review (activate, close, | `can(p, REVIEW, cycle)`: admin, strategy |
| grade any objective it sees at close)      | office, lead of the company (root) unit  |
| may add a scorecard to this unit           | `can(p, ADD, unit)`                      |
| may snooze (or wake) this alert snooze     | `can(p, SNOOZE, snooze)`: one's own only |

Write rights on a key result come from its owner and from its home objective (the one it
was created in), never from another objective that holds it. Models without a rule
here are denied, even to read.
"""

from enum import StrEnum

from django.core.exceptions import PermissionDenied

from lodestar import tree
from lodestar.org.models import Membership, Person, Unit
from lodestar.org.selectors import subtree_ids, unit_parents


class Action(StrEnum):
    VIEW = "view"
    CHANGE = "change"
    DELETE = "delete"
    ADD = "add"  # add something inside: a key result to an objective, a value to a measure…
    ADD_OKR = "add_okr"  # on a unit: write an OKR objective for it
    CHECK_IN = "check_in"
    HOLD = "hold"  # on a key result: share it into another objective
    LINK = "link"  # on a measure: link it to a key result, whose check-ins then write it
    GRADE = "grade"  # on an OKR objective: final grade and retrospective
    REVIEW = "review"  # on a cycle: activate, close and grade every objective at close
    # on an alert snooze: hide an alert from one's own view. Not a write to the
    # organisation's data (a viewer may snooze too), and only ever one's own.
    SNOOZE = "snooze"


WRITES = {
    Action.CHANGE,
    Action.DELETE,
    Action.ADD,
    Action.ADD_OKR,
    Action.CHECK_IN,
    Action.HOLD,
    Action.LINK,
    Action.GRADE,
    Action.REVIEW,
}


class Access:
    """What one person may do; built once per request (two queries) and reused."""

    def __init__(self, person: Person):
        self.person = person
        self.active = bool(person and person.is_authenticated and person.is_active)
        self.is_admin = self.active and (person.role == Person.Role.ADMIN or person.is_superuser)
        self.is_strategy_office = self.active and person.role == Person.Role.STRATEGY_OFFICE
        self.read_only = self.active and person.role == Person.Role.VIEWER
        self.lead_units: set[int] = set()
        self.member_units: set[int] = set()
        self.leads_company = False
        if self.active and not self.is_admin:
            roles = list(Membership.objects.filter(person=person).values_list("unit_id", "role"))
            leads = {unit for unit, role in roles if role == Membership.Role.LEAD}
            parents = unit_parents() if leads else {}
            self.lead_units = subtree_ids(leads, parents) if leads else set()
            # Leads a root of the tree: the CEO, who runs the quarter's review.
            self.leads_company = any(parents.get(unit, 0) is None for unit in leads)
            self.member_units = {unit for unit, role in roles if role != Membership.Role.VIEWER}

    def can(self, action: Action | str, obj) -> bool:
        if not self.active:
            return False
        if self.is_admin:
            return True
        action = Action(action)
        if action in WRITES and self.read_only:
            return False
        check = getattr(self, f"_{type(obj).__name__.lower()}", None)
        if check is None:
            return False  # a model nobody wrote a rule for: denied
        return check(action, obj)

    def leads(self, unit_id: int | None) -> bool:
        return unit_id is not None and unit_id in self.lead_units

    # Organisation -------------------------------------------------------------------
    def _unit(self, action: Action, unit: Unit) -> bool:
        if action == Action.VIEW:
            return True
        if action == Action.ADD_OKR:
            return self.is_strategy_office or self.leads(unit.pk) or unit.pk in self.member_units
        if action == Action.ADD:  # a scorecard, a sub-unit's strategy
            return self.is_strategy_office or self.leads(unit.pk)
        return False  # the tree itself is the admin's

    def _person(self, action: Action, person: Person) -> bool:
        if action == Action.ADD_OKR:  # a personal objective for this person
            return self.writes_for(person)
        return action == Action.VIEW or (action == Action.CHANGE and person.pk == self.person.pk)

    def _membership(self, action: Action, membership: Membership) -> bool:
        return action == Action.VIEW  # placing people is the admin's

    def writes_for(self, person: Person) -> bool:
        """May write personal objectives for this person: they themselves, the strategy
        office, their managers and the leads of a unit they belong to."""
        if person.pk is None:
            return False
        if self.is_strategy_office or person.pk == self.person.pk:
            return True
        if self.manages(person):
            return True
        units = Membership.objects.filter(person_id=person.pk).values_list("unit_id", flat=True)
        return any(self.leads(unit_id) for unit_id in units)

    def manages(self, person: Person | None) -> bool:
        """Somewhere above the person in the management chain."""
        return person is not None and self.person in tree.ancestors(
            person, lambda someone: someone.manager
        )

    # Strategy -----------------------------------------------------------------------
    def _strategy(self, action: Action, unit_id: int) -> bool:
        return action == Action.VIEW or self.is_strategy_office or self.leads(unit_id)

    def _scorecard(self, action, scorecard) -> bool:
        return self._strategy(action, scorecard.unit_id)

    def _perspective(self, action, perspective) -> bool:
        return self._strategy(action, perspective.scorecard.unit_id)

    def _theme(self, action, theme) -> bool:
        return self._strategy(action, theme.scorecard.unit_id)

    def _strategicobjective(self, action, objective) -> bool:
        return self._strategy(action, objective.scorecard.unit_id)

    def _causeeffectlink(self, action, link) -> bool:
        return self._strategy(action, link.cause.scorecard.unit_id)

    def _measure(self, action, measure) -> bool:
        # Linking a measure makes check-ins write its values: the same right as recording.
        action = Action.ADD if action == Action.LINK else action
        # The owner of a measure records its values.
        if action == Action.ADD and measure.owner_id == self.person.pk:
            return True
        return self._strategy(action, measure.objective.scorecard.unit_id)

    def _measurevalue(self, action, value) -> bool:
        return self._measure(Action.ADD if action != Action.VIEW else action, value.measure)

    def _initiative(self, action, initiative) -> bool:
        if action == Action.VIEW or self.is_strategy_office:
            return True
        if initiative.owner_id == self.person.pk and action == Action.CHANGE:
            return True
        units = initiative.strategic_objectives.values_list("scorecard__unit_id", flat=True)
        return any(self.leads(unit_id) for unit_id in units)

    # OKRs ---------------------------------------------------------------------------
    def _cycle(self, action, cycle) -> bool:
        if action == Action.REVIEW:
            return self.is_strategy_office or self.leads_company
        return action == Action.VIEW or self.is_strategy_office

    def objective_units(self, objective) -> set[int]:
        if objective.unit_id:
            return {objective.unit_id}
        if objective.owner_id is None:
            return set()
        return set(
            Membership.objects.filter(person_id=objective.owner_id).values_list(
                "unit_id", flat=True
            )
        )

    def sees_private(self, objective) -> bool:
        if objective.owner_id == self.person.pk:
            return True
        if any(self.leads(unit_id) for unit_id in self.objective_units(objective)):
            return True
        return objective.owner_id is not None and self.manages(objective.owner)

    def _objective(self, action, objective) -> bool:
        private = objective.visibility == objective.Visibility.PRIVATE
        if private and not self.sees_private(objective):
            return False
        if action == Action.VIEW:
            return True
        if action == Action.ADD_OKR:
            return False  # OKRs are written for units and people, not inside objectives
        if action == Action.GRADE and self._cycle(Action.REVIEW, objective.cycle):
            return True  # who runs the cycle's review grades every objective they see
        if self.is_strategy_office or objective.owner_id == self.person.pk:
            return True
        units = self.objective_units(objective)
        return any(self.leads(u) or u in self.member_units for u in units)

    def _keyresult(self, action, key_result) -> bool:
        owns = key_result.owner_id == self.person.pk
        if action in (Action.VIEW, Action.HOLD):
            # Holding someone's key result changes only the holder's objective.
            return owns or any(
                self._objective(Action.VIEW, o) for o in key_result.okr_objectives.all()
            )
        if action not in (Action.CHANGE, Action.DELETE, Action.CHECK_IN):
            return False
        if owns:
            return True
        home = home_objective(key_result)
        return home is not None and self._objective(Action.CHANGE, home)

    def _objectivekeyresult(self, action, holding) -> bool:
        return self._objective(
            Action.CHANGE if action != Action.VIEW else action, holding.objective
        )

    def _checkin(self, action, checkin) -> bool:
        if action == Action.VIEW:
            return self._keyresult(action, checkin.key_result)
        return False  # check-ins are append-only

    # Integration --------------------------------------------------------------------
    def _webhooksubscription(self, action, subscription) -> bool:
        return False  # subscriptions carry signing secrets: admins only

    def _webhookdelivery(self, action, delivery) -> bool:
        return False

    def _apitoken(self, action, token) -> bool:
        return token.person_id == self.person.pk

    # What one person has chosen to see ------------------------------------------------
    def _alertsnooze(self, action, snooze) -> bool:
        # A snooze is one person's view of the alerts; the services write only the
        # acting person's own, so this rule is what a request for another's meets.
        return action in (Action.VIEW, Action.SNOOZE) and snooze.person_id == self.person.pk

    # Measures that fill themselves (lodestar.sources) ----------------------------------
    def _datasource(self, action, source) -> bool:
        # A source names a database connection and runs queries: the strategy office's.
        return self.is_strategy_office

    def _syncrun(self, action, run) -> bool:
        return action == Action.VIEW and self.is_strategy_office

    def _measureplan(self, action, plan) -> bool:
        return self._strategy(action, plan.measure.objective.scorecard.unit_id)


def home_objective(key_result):
    """The objective a key result was created in: its first holding. Another objective
    that shares it gains no right over it."""
    holding = (
        key_result.holdings.select_related("objective__owner", "objective__unit")
        .order_by("pk")
        .first()
    )
    return holding.objective if holding else None


def access_for(person: Person) -> Access:
    """Cached on the person object, which lives as long as one request."""
    access = getattr(person, "_lodestar_access", None)
    if access is None:
        access = Access(person)
        if person is not None:
            person._lodestar_access = access
    return access


def can(person: Person, action: Action | str, obj) -> bool:
    return access_for(person).can(action, obj)


def require(acting: Person | None, action: Action | str, obj) -> None:
    """Raise PermissionDenied unless `acting` may do it; None is the installation itself
    (the demo, a recompute, a data source), which may do anything."""
    if acting is not None and not can(acting, action, obj):
        raise PermissionDenied(f"You may not {VERBS[Action(action)]} {describe(obj)}.")


VERBS = {
    Action.VIEW: "see",
    Action.CHANGE: "change",
    Action.DELETE: "delete",
    Action.ADD: "add to",
    Action.ADD_OKR: "write OKRs for",
    Action.CHECK_IN: "check in on",
    Action.HOLD: "share",
    Action.LINK: "link",
    Action.GRADE: "grade",
    Action.REVIEW: "run the review of",
    Action.SNOOZE: "snooze",
}


def describe(obj) -> str:
    name = obj._meta.verbose_name if hasattr(obj, "_meta") else type(obj).__name__
    return f"this {name}" if getattr(obj, "pk", None) else f"a new {name}"


# The role table as data: who may do what to the things of one unit (its scorecard, its
# OKRs), named as people relative to that unit. MEMBER is also the owner of the unit
# objective's key result, of a personal objective and of a measure (so their rights as an
# owner show). The permission-matrix test (`org/tests/test_permission_matrix.py`) checks
# `can()`, every page and every API operation against it, persona by persona.
ADMIN = "admin"
STRATEGY_OFFICE = "strategy office"
LEAD = "lead of the unit"
LEAD_ELSEWHERE = "lead of another unit"
MEMBER = "member of the unit"
MEMBER_ELSEWHERE = "member of another unit"
VIEWER = "viewer"
DEACTIVATED = "deactivated"

READERS = frozenset(
    {ADMIN, STRATEGY_OFFICE, LEAD, LEAD_ELSEWHERE, MEMBER, MEMBER_ELSEWHERE, VIEWER}
)
STRATEGISTS = frozenset({ADMIN, STRATEGY_OFFICE, LEAD})
OKR_WRITERS = frozenset({ADMIN, STRATEGY_OFFICE, LEAD, MEMBER})

ROLE_TABLE: dict[tuple[str, str], frozenset[str]] = {
    ("unit", "view"): READERS,
    ("unit", "create"): frozenset({ADMIN}),
    ("unit", "change"): frozenset({ADMIN}),
    ("unit", "delete"): frozenset({ADMIN}),
    ("scorecard", "view"): READERS,
    ("scorecard", "create"): STRATEGISTS,
    ("scorecard", "change"): STRATEGISTS,
    ("scorecard", "delete"): STRATEGISTS,
    ("strategic objective", "view"): READERS,
    ("strategic objective", "create"): STRATEGISTS,
    ("strategic objective", "change"): STRATEGISTS,
    ("strategic objective", "delete"): STRATEGISTS,
    ("measure", "view"): READERS,
    ("measure", "create"): STRATEGISTS,
    ("measure", "change"): STRATEGISTS,
    ("measure", "delete"): STRATEGISTS,
    ("measure", "record a value"): STRATEGISTS | {MEMBER},  # the measure's owner
    ("measure", "link"): STRATEGISTS | {MEMBER},
    ("initiative", "view"): READERS,
    ("initiative", "create"): STRATEGISTS,
    ("initiative", "change"): STRATEGISTS,
    ("initiative", "delete"): STRATEGISTS,
    ("cycle", "view"): READERS,
    ("cycle", "create"): frozenset({ADMIN, STRATEGY_OFFICE}),
    ("cycle", "change"): frozenset({ADMIN, STRATEGY_OFFICE}),
    ("cycle", "activate"): frozenset({ADMIN, STRATEGY_OFFICE}),
    # The review (closing, grading at close) is the company's: LEAD leads a department.
    ("cycle", "close"): frozenset({ADMIN, STRATEGY_OFFICE}),
    ("cycle", "comment on the review"): frozenset({ADMIN, STRATEGY_OFFICE}),
    ("objective", "view"): READERS,
    ("objective", "create"): OKR_WRITERS,  # an OKR objective for the unit
    ("objective", "create for a person"): OKR_WRITERS,  # a personal one for MEMBER
    ("objective", "change"): OKR_WRITERS,
    ("objective", "delete"): OKR_WRITERS,
    ("objective", "grade"): OKR_WRITERS,
    ("key result", "view"): READERS,
    ("key result", "create"): OKR_WRITERS,
    ("key result", "change"): OKR_WRITERS,
    ("key result", "delete"): OKR_WRITERS,
    ("key result", "check in"): OKR_WRITERS,
    # Sharing it into one's own objective: everyone who sees it and may write.
    ("key result", "hold"): READERS - {VIEWER},
    # Hiding an alert (group) about the unit's things from one's own view, and showing
    # it again: everyone who sees it, a viewer too (it writes nothing of the unit's).
    ("alert", "snooze"): READERS,
    ("alert", "unsnooze"): READERS,
}
