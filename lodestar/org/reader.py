"""The one door in: who is looking, and everything that follows from it.

A `Reader` is built once per request (`ReaderMiddleware` for pages, the token auth for the
API) and by `Reader.for_person` for commands, workers and imports; it is kept on the
person object, so the services asked with that person meet the same reader. It holds the
person's roles (two queries), their management chain, and answers:

- `can(action, obj)` / `require(action, obj)`: the model's registered rule (`org.rules`);
- `visible(Model)`: the rows of a model the reader may see (the rule's queryset twin);
- `load(Model or queryset, pk, action)`: the one loader: 404 when there is no such
  object or the reader may not see it (hidden is as good as missing), 403 when they may
  see it but not do `action`;
- `group`: what, besides the data, the figures shown to the reader depend on;
- `kept(figure, *args, scope=…)`: a kept figure (`insights.kept`), its key naming the group;
  `kept_as_of`: when the oldest figure it was given was computed (what pages say).
"""

import functools
import hashlib
from collections.abc import Callable
from typing import NamedTuple, TypeVar

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Model, QuerySet
from django.db.models.expressions import RawSQL
from django.http import Http404

from lodestar import tree
from lodestar.insights import kept
from lodestar.okrs.models import Cycle, Objective
from lodestar.org.models import Membership, Person, Unit
from lodestar.org.rules import RULES, WRITES, Action
from lodestar.org.selectors import people_below, subtree_ids, unit_parents, units_led_by

M = TypeVar("M", bound=Model)
T = TypeVar("T")

# The cycles whose private objectives change what a reader is shown.
OPEN_STATES = (Cycle.State.ACTIVE, Cycle.State.PLANNING)

# What the kept figures depend on besides the data and the reader.
RULE_SETTINGS = [
    "STALE_AFTER_DAYS",
    "KEY_RESULTS_PER_OWNER_LIMIT",
    "OKR_RED_BELOW",
    "OKR_GREEN_FROM",
    "PACE_BEHIND_BELOW",
    "PACE_AT_RISK_BELOW",
]


class Memberships(NamedTuple):
    lead_units: set[int]
    member_units: set[int]
    leads_company: bool


class UnregisteredModel(LookupError):
    """A model nobody wrote a rule for: a programming error, never a quiet denial."""


class Reader:
    def __init__(self, person: Person | None):
        self.person = person
        self.active = bool(person and person.is_authenticated and person.is_active)
        self.is_admin = self.active and (person.role == Person.Role.ADMIN or person.is_superuser)
        self.is_strategy_office = self.active and person.role == Person.Role.STRATEGY_OFFICE
        self.read_only = self.active and person.role == Person.Role.VIEWER
        self.kept_as_of = None  # set by `kept`

    @functools.cached_property
    def memberships(self) -> "Memberships":
        """Read on first need (two queries): many readers never ask."""
        if not self.active or self.is_admin:
            return Memberships(set(), set(), False)
        roles = list(Membership.objects.filter(person=self.person).values_list("unit_id", "role"))
        leads = {unit for unit, role in roles if role == Membership.Role.LEAD}
        parents = unit_parents() if leads else {}
        return Memberships(
            lead_units=subtree_ids(leads, parents) if leads else set(),
            member_units={unit for unit, role in roles if role != Membership.Role.VIEWER},
            # Leads a root of the tree: the CEO, who runs the quarter's review.
            leads_company=any(parents.get(unit, 0) is None for unit in leads),
        )

    @property
    def lead_units(self) -> set[int]:
        """The units the person leads, with their whole subtrees."""
        return self.memberships.lead_units

    @property
    def lead_units_subquery(self) -> RawSQL | QuerySet:
        """`lead_units` as a subquery, for the queryset rules (`org.selectors.units_led_by`)."""
        if not self.active or self.is_admin:
            return Unit.objects.none().values("pk")  # as `memberships` holds no unit then
        return units_led_by(self.person.pk)

    @property
    def member_units(self) -> set[int]:
        """The units the person belongs to as more than a viewer."""
        return self.memberships.member_units

    @property
    def leads_company(self) -> bool:
        return self.memberships.leads_company

    @classmethod
    def for_person(cls, person: Person | None) -> "Reader":
        """The person's reader, kept on the person object (which lives as long as one
        request, one command or one worker's task)."""
        reader = getattr(person, "_lodestar_reader", None)
        if reader is None:
            reader = cls(person)
            if person is not None:
                person._lodestar_reader = reader
        return reader

    @staticmethod
    def has_rule(model: type[Model]) -> bool:
        return rules_of(model) is not None

    # Access -----------------------------------------------------------------------------
    def can(self, action: Action | str, obj) -> bool:
        # __class__, not type(): a lazy `request.user` answers with the Person class.
        rules = rules_of(obj.__class__)
        if rules is None:
            raise UnregisteredModel(f"No rule says who may see or change a {obj.__class__}.")
        if not self.active:
            return False
        if self.is_admin:
            return True
        action = Action(action)
        if action in WRITES and self.read_only:
            return False
        return rules.may(self, action, obj)

    def require(self, action: Action | str, obj) -> None:
        if not self.can(action, obj):
            raise PermissionDenied(f"You may not {VERBS[Action(action)]} {describe(obj)}.")

    def visible(self, model: type[M]) -> QuerySet[M]:
        rules = rules_of(model)
        if rules is None:
            raise UnregisteredModel(f"No rule says who may see a {model}.")
        if not self.active:
            return model._default_manager.none()
        if self.is_admin:
            return model._default_manager.all()
        return rules.shown(self)

    def load(self, source: type[M] | QuerySet[M], pk, action: Action = Action.VIEW) -> M:
        """The object `pk` of `source` (a model, or a queryset with its joins), if the
        reader may see it and do `action` to it."""
        rows = source if isinstance(source, QuerySet) else source._default_manager.all()
        found = rows.filter(pk=pk).first() if str(pk).isdigit() else None
        if found is None or not self.can(Action.VIEW, found):
            raise Http404(f"No {rows.model._meta.verbose_name} with id {pk}.")
        if action != Action.VIEW:
            self.require(action, found)
        return found

    # Who the person is to others ----------------------------------------------------------
    def leads(self, unit_id: int | None) -> bool:
        return unit_id is not None and unit_id in self.lead_units

    @functools.cached_property
    def reports(self) -> set[int]:
        """Everyone below the person in the management chain: one recursive query."""
        below = people_below(self.person.pk)
        with connection.cursor() as cursor:
            cursor.execute(below.sql, below.params)
            return {row[0] for row in cursor.fetchall()}

    @property
    def reports_subquery(self) -> RawSQL:
        """`reports` as a subquery, for the queryset rules (`org.selectors.people_below`)."""
        return people_below(self.person.pk)

    def manages(self, person: Person | None) -> bool:
        """Somewhere above the person in the management chain."""
        return person is not None and self.person in tree.ancestors(
            person, lambda someone: someone.manager
        )

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

    # Kept figures -----------------------------------------------------------------------
    @functools.cached_property
    def group(self) -> str:
        """What, besides the data, the figures the reader is shown depend on: whether they
        may read at all, the private objectives of the open cycles they may see, and the
        rules' settings. Shared figures count public objectives only, so readers of one
        group may share what is kept. Read once (one query), as the roles are: a reader
        lives as long as its request, command or worker's task."""
        private = (
            self.visible(Objective)
            .filter(cycle__state__in=OPEN_STATES, visibility=Objective.Visibility.PRIVATE)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        rules = [getattr(settings, name) for name in RULE_SETTINGS]
        text = f"{self.active}:{list(private)}:{rules}"
        return hashlib.sha256(text.encode()).hexdigest()[:40]

    def kept(self, figure: Callable[..., T], *args, scope: kept.Scope = kept.COMPANY) -> T:
        """`figure(person, *args)` as kept for the reader's group: its args (plain JSON)
        name whatever besides the data and the group it depends on, `scope` which
        changes make it stale (`insights.kept`)."""
        return kept.kept(self, figure, *args, scope=scope)


def rules_of(model: type[Model]):
    """The rules registered for the model (or the model it is a proxy or child of)."""
    for klass in model.__mro__:
        if klass in RULES:
            return RULES[klass]
    return None


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
    Action.PREFER: "set the time zone and language of",
    Action.SIGN_OUT: "sign out",
}


def describe(obj) -> str:
    name = obj._meta.verbose_name if hasattr(obj, "_meta") else type(obj).__name__
    return f"this {name}" if getattr(obj, "pk", None) else f"a new {name}"
