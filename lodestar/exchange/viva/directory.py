"""Who, where and when a Viva export names — people, teams, time periods — found among
what is stored or made as new rows of the layout, each choice counted for the dry run."""

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Value
from django.db.models.functions import Concat, Lower

from lodestar.exchange.incoming import StoredKeys
from lodestar.exchange.viva.export import Export, Period
from lodestar.okrs.models import Cycle
from lodestar.org.acting import Actor
from lodestar.org.models import Person, Unit
from lodestar.org.permissions import Action, can

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


@dataclass
class People:
    """Display names → how the layout names them (a login or an e-mail), or None."""

    export: Export
    mapped: dict[str, str]  # the person importing's own mapping: name → login or e-mail
    refs: dict[str, str | None] = field(default_factory=dict)
    rows: list[dict] = field(default_factory=list)  # people to create
    unmatched: Counter = field(default_factory=Counter)  # name → times named
    matched_by: Counter = field(default_factory=Counter)

    def __post_init__(self) -> None:
        self.users = {user.name.lower(): user for user in self.export.users if user.name}
        self.users |= {user.email.lower(): user for user in self.export.users if user.email}
        self.logins = {login.lower() for login in Person.objects.values_list("username", flat=True)}

    def ref(self, name: str) -> str | None:
        if not name:
            return None
        lowered = name.lower()
        if lowered not in self.refs:
            self.refs[lowered] = self.found(name)
        if self.refs[lowered] is None:
            self.unmatched[name] += 1
        return self.refs[lowered]

    def found(self, name: str) -> str | None:
        if name.lower() in self.mapped:
            self.matched_by["your mapping"] += 1
            return self.mapped[name.lower()]
        user = self.users.get(name.lower())
        email = name if EMAIL.match(name) else (user.email if user else "")
        if email:
            stored = Person.objects.filter(email__iexact=email).first()
            if stored is not None:
                self.matched_by["e-mail"] += 1
                return stored.username
            return self.created(email, user)
        full = Lower(Concat("first_name", Value(" "), "last_name"))
        same = list(Person.objects.annotate(full=full).filter(full=name.lower())[:2])
        if len(same) == 1:
            self.matched_by["display name"] += 1
            return same[0].username
        return None

    def created(self, email: str, user) -> str:
        login = base = slug(email.split("@")[0]).replace("-", ".")[:140]
        number = 1
        while login in self.logins:
            number += 1
            login = f"{base}{number}"
        self.logins.add(login)
        first, _, last = (user.name if user else "").partition(" ")
        row = {"login": login, "email": email, "first_name": first, "last_name": last}
        self.rows.append(row)
        if user is not None:
            row["viva_user"] = user
        return login


@dataclass
class Units:
    """The company and the teams, stored or new."""

    acting: Actor
    stored_keys: StoredKeys
    rows: list[dict] = field(default_factory=list)
    keys: dict[str, str] = field(default_factory=dict)  # team name (lowered) → unit key
    reused: int = 0

    def __post_init__(self) -> None:
        company = Unit.objects.filter(kind=Unit.Kind.COMPANY).order_by("pk").first()
        if company is not None:
            self.company = self.stored_keys.key("units", company)
        else:
            self.company = "viva-company"
            self.rows.append({"key": self.company, "name": "Company", "kind": "company"})

    def add(self, name: str, parent: str = "") -> str:
        lowered = name.lower()
        if lowered in self.keys:
            return self.keys[lowered]
        stored = [
            unit
            for unit in Unit.objects.filter(name__iexact=name).order_by("pk")[:5]
            if self.acting is None or can(self.acting, Action.VIEW, unit)
        ]
        if stored:
            self.reused += 1
            self.keys[lowered] = self.stored_keys.key("units", stored[0])
        else:
            self.keys[lowered] = f"viva-team-{slug(name)}"
            self.rows.append(
                {
                    "key": self.keys[lowered],
                    "name": name,
                    "kind": "team",
                    "parent": parent or self.company,
                }
            )
        return self.keys[lowered]


def team_units(export: Export, acting: Actor, stored_keys: StoredKeys) -> Units:
    units = Units(acting, stored_keys)
    by_id = {team.id: team for team in export.teams}

    def add(team, seen: tuple = ()) -> str:
        parent = by_id.get(team.parent)
        above = add(parent, (*seen, team.id)) if parent and parent.id not in seen else ""
        return units.add(team.name, above)

    for team in export.teams:
        if team.name:
            add(team)
    for goal in export.goals:
        for name in goal.teams:
            units.add(name)
    return units


@dataclass
class Cycles:
    """A cycle per time period: one stored of the same name and days, or a new one."""

    rows: list[dict] = field(default_factory=list)
    keys: dict[str, str] = field(default_factory=dict)  # period name → cycle key
    ends: dict[str, tuple[date, date]] = field(default_factory=dict)
    decisions: list[str] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)  # (period, message)


def period_cycles(export: Export, today: date, stored_keys: StoredKeys) -> Cycles:
    cycles = Cycles()
    spans = {period.name: period for period in export.periods if period.name}
    dated = {name for name, period in spans.items() if period.start and period.end}
    for goal in export.goals:  # periods named by goals only: from their first to last day
        span = spans.setdefault(goal.period, Period(goal.period))
        if goal.period in dated:
            continue
        if goal.start_date and (span.start is None or goal.start_date < span.start):
            span.start = goal.start_date
        if goal.end_date and (span.end is None or goal.end_date > span.end):
            span.end = goal.end_date
    for name, period in spans.items():
        if not name:
            continue
        if period.start is None or period.end is None or period.end <= period.start:
            cycles.problems.append(
                (
                    name,
                    f"The time period {name!r} has no start and end dates (the end after "
                    "the start).",
                )
            )
            continue
        one_cycle(cycles, period, today, stored_keys)
    return cycles


def one_cycle(cycles: Cycles, period: Period, today: date, stored_keys: StoredKeys) -> None:
    same = Cycle.objects.filter(name__iexact=period.name).first()
    cycles.ends[period.name] = (period.start, period.end)
    if same is not None and (same.start, same.end) == (period.start, period.end):
        cycles.keys[period.name] = stored_keys.key("cycles", same)
        cycles.decisions.append(
            f"The time period {period.name} goes into the cycle {same}, here already."
        )
        return
    name = period.name if same is None else f"{period.name} (Viva Goals)"
    key = f"viva-period-{slug(period.name)}"
    cycles.keys[period.name] = key
    state = "closed" if period.end < today else "planning"
    cycles.rows.append(
        {"key": key, "name": name[:100], "start": period.start, "end": period.end, "state": state}
    )
    said = f"The time period {period.name} becomes the cycle {name} ({period.start} to {period.end}"
    said += (
        ", closed: its objectives are graded by their scores)."
        if state == "closed"
        else ", in planning: activate it on its page)."
    )
    overlaps = Cycle.objects.filter(start__lte=period.end, end__gte=period.start)
    if same is not None:
        said += f" A cycle named {same} with other days is here already."
    for other in overlaps.order_by("start")[:3]:
        said += f" It overlaps the cycle {other} ({other.start} to {other.end})."
    cycles.decisions.append(said)
