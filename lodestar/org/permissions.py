"""One permission layer for pages, the API and commands: `can(person, action, obj)`, asked
of the person's reader (`lodestar.org.reader`), whose rules are `lodestar.org.rules`.

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
was created in), never from another objective that holds it. A model without a rule is
a programming error (`UnregisteredModel`), never a quiet answer.
"""

from lodestar.org.models import Person
from lodestar.org.reader import Reader
from lodestar.org.rules import Action

__all__ = ["Action", "can", "reader_for", "require"]


def reader_for(person: Person | None) -> Reader:
    return Reader.for_person(person)


def can(person: Person | None, action: Action | str, obj) -> bool:
    return Reader.for_person(person).can(action, obj)


def require(acting: Person | None, action: Action | str, obj) -> None:
    """Raise PermissionDenied unless `acting` may do it; None is the installation itself
    (the demo, a recompute, a data source), which may do anything."""
    if acting is not None:
        Reader.for_person(acting).require(action, obj)


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
    # People and the tree itself (issue 23) are the admin's: inviting names a role, an
    # admin's too, and a unit's lead decides whom its alerts and digests reach.
    ("unit", "move"): frozenset({ADMIN}),
    ("unit", "set lead"): frozenset({ADMIN}),
    ("people", "list"): READERS,
    ("person", "invite"): frozenset({ADMIN}),
    ("person", "invite many"): frozenset({ADMIN}),
    ("person", "invite again"): frozenset({ADMIN}),
    ("person", "change role"): frozenset({ADMIN}),
    ("person", "deactivate"): frozenset({ADMIN}),
    ("person", "reactivate"): frozenset({ADMIN}),
    ("scorecard", "view"): READERS,
    ("scorecard", "create"): STRATEGISTS,
    ("scorecard", "change"): STRATEGISTS,
    ("scorecard", "delete"): STRATEGISTS,
    # A draft (a starter applied to a live organisation) made by LEAD: its maker's and the
    # strategy office's until published; to everyone else it does not exist (404).
    ("draft scorecard", "view"): STRATEGISTS,
    ("draft scorecard", "publish"): STRATEGISTS,
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
    # The surfaces around the data (issue 20): a source names connections and runs
    # queries, so it is the strategy office's; a unit's chat channels are set by who may
    # add to the unit; one's own reminders are one's own (a viewer's writes nothing, so
    # not even those); the export and the import preview are everyone's, showing only what
    # each may see.
    ("data source", "view"): frozenset({ADMIN, STRATEGY_OFFICE}),
    ("data source", "create"): frozenset({ADMIN, STRATEGY_OFFICE}),
    ("data source", "change"): frozenset({ADMIN, STRATEGY_OFFICE}),
    ("unit channels", "view"): STRATEGISTS,
    ("unit channels", "change"): STRATEGISTS,
    ("own notifications", "change"): READERS - {VIEWER},
    # Comments (issue 25) on the unit's public objective: everyone who sees it and writes
    # posts, edits and deletes their own; another's comment is deleted by the admin alone.
    ("comment", "post"): READERS - {VIEWER},
    ("comment", "edit own"): READERS - {VIEWER},
    ("comment", "delete own"): READERS - {VIEWER},
    ("comment", "delete another's"): frozenset({ADMIN}),
    # The activity feeds (issue 25): one's own, a unit's, the company's, each item one the
    # reader may see; following changes only one's own feed, so a viewer follows too.
    ("activity", "view"): READERS,
    ("activity", "follow"): READERS,
    # One's own passkeys (a second factor): everyone's who signs in, for their own safety.
    ("own passkeys", "add"): READERS,
    ("own passkeys", "remove"): READERS,
    ("export", "download"): READERS,
    ("import", "preview"): READERS,
    # A confirmed import's status names what its file held: its person's (here the
    # member's) and the admins' only.
    ("import", "status"): frozenset({ADMIN, MEMBER}),
    # Self-service (issue 23): one's own time zone, language and sessions are everyone's who
    # signs in, a viewer's too (how they read, and their own safety, not the data); everyone's
    # sign-ins and the rule of who needs a second factor are the admin's.
    ("own profile", "change"): READERS,
    ("own sessions", "view"): READERS,
    ("own sessions", "sign out"): READERS,
    ("people's sign-ins", "view"): frozenset({ADMIN}),
    ("second factor rule", "change"): frozenset({ADMIN}),
}
