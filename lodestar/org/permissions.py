"""One permission layer for pages, the API and commands: `can(person, action, obj)`.

Roles (SPEC): admin and strategy office are global (Person.role); unit lead, member and
viewer are per unit (Membership.role). A lead's rights cover the unit's whole subtree.

| who              | strategy (scorecards…)    | OKRs                                       |
|------------------|---------------------------|--------------------------------------------|
| admin            | everything                | everything, private ones too               |
| strategy office  | change anything           | change any public OKR; opens cycles        |
| unit lead        | change own subtree's      | change own subtree's, see private ones     |
| member           | read; record own measures | own key results; own and own units' OKRs   |
| viewer           | read                      | read public                                |

A private objective is seen by its owner, the owner's managers, the leads above its
unit, and admins.
"""

from enum import StrEnum

from lodestar.org.models import Membership, Person, Unit
from lodestar.org.selectors import subtree_ids, unit_parents


class Action(StrEnum):
    VIEW = "view"
    CHANGE = "change"
    DELETE = "delete"
    ADD = "add"  # add something inside: a key result to an objective, a value to a measure…
    ADD_OKR = "add_okr"  # on a unit: write an OKR objective for it
    CHECK_IN = "check_in"


WRITES = {Action.CHANGE, Action.DELETE, Action.ADD, Action.ADD_OKR, Action.CHECK_IN}


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
        if self.active and not self.is_admin:
            roles = list(Membership.objects.filter(person=person).values_list("unit_id", "role"))
            leads = {unit for unit, role in roles if role == Membership.Role.LEAD}
            self.lead_units = subtree_ids(leads, unit_parents()) if leads else set()
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
            return action == Action.VIEW
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
        return action == Action.VIEW or (action == Action.CHANGE and person.pk == self.person.pk)

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
        units = initiative.objectives.values_list("scorecard__unit_id", flat=True)
        return any(self.leads(unit_id) for unit_id in units)

    # OKRs ---------------------------------------------------------------------------
    def _cycle(self, action, cycle) -> bool:
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
        manager = objective.owner.manager if objective.owner_id else None
        seen = set()
        while manager is not None and manager.pk not in seen:
            if manager.pk == self.person.pk:
                return True
            seen.add(manager.pk)
            manager = manager.manager
        return False

    def _objective(self, action, objective) -> bool:
        private = objective.visibility == objective.Visibility.PRIVATE
        if private and not self.sees_private(objective):
            return False
        if action == Action.VIEW:
            return True
        if self.is_strategy_office or objective.owner_id == self.person.pk:
            return True
        units = self.objective_units(objective)
        return any(self.leads(u) or u in self.member_units for u in units)

    def _keyresult(self, action, key_result) -> bool:
        if action != Action.VIEW and key_result.owner_id == self.person.pk:
            return True
        objectives = key_result.objectives.all()
        if action == Action.VIEW:
            return key_result.owner_id == self.person.pk or any(
                self._objective(Action.VIEW, o) for o in objectives
            )
        return any(self._objective(Action.CHANGE, o) for o in objectives)

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

    # Measures that fill themselves (lodestar.sources) ----------------------------------
    def _datasource(self, action, source) -> bool:
        # A source names a database connection and runs queries: the strategy office's.
        return self.is_strategy_office

    def _syncrun(self, action, run) -> bool:
        return action == Action.VIEW and self.is_strategy_office

    def _measureplan(self, action, plan) -> bool:
        return self._strategy(action, plan.measure.objective.scorecard.unit_id)


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
