"""A Viva Goals export as read, before Lodestar decides anything: its goals (whatever the
customer called them), check-ins, people, teams and time periods, each with the place
in the file it came from. Both shapes the product wrote read into this: the Explorer's
CSV/XLSX (`explorer.py`) and the JSON zip (`archive.py`)."""

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time

from lodestar.exchange.reader import Problem

# The most goals one export imports: a larger organisation exports per time period. The
# reader's own limits (bytes, rows) hold before this.
MOST_GOALS = 20_000
# What a goal becomes in Lodestar.
OBJECTIVE, KEY_RESULT, DELIVERABLE = "objective", "key result", "deliverable"


class Unreadable(ValueError):
    """A value the export does not write that way."""


@dataclass
class Alignment:
    """What a goal is aligned to (its parent), with the weight it counts there."""

    id: str
    weight: float | None = None  # percent


@dataclass
class Goal:
    id: str
    title: str
    type: str  # as written: Objective, Key result, Deliverable, Outcome, Big rock…
    place: str  # where in the file: "export.csv", "objectives.json"
    row: int
    owners: list[str] = field(default_factory=list)  # display names, or e-mails
    teams: list[str] = field(default_factory=list)
    period: str = ""
    start_date: date | None = None
    end_date: date | None = None
    description: str = ""
    aligned_to: list[Alignment] = field(default_factory=list)
    metric_name: str = ""
    unit: str = ""
    outcome_type: str = ""  # Metric or Percentage
    target_type: str = ""  # Increase from, Decrease from, Reach, Stay above…
    start: float | None = None
    target: float | None = None
    progress: float | None = None  # percent, as the file says
    score: float | None = None  # 0–1, as the file says
    status: str = ""
    last_checkin: datetime | None = None
    last_note: str = ""


@dataclass
class Checkin:
    goal_id: str
    at: datetime
    value: str  # as written: "25%" (progress) or "40" (the metric's value)
    place: str
    row: int
    user: str = ""
    note: str = ""
    status: str = ""


@dataclass
class User:
    name: str
    email: str = ""
    manager: str = ""
    teams: list[str] = field(default_factory=list)


@dataclass
class Team:
    id: str
    name: str
    parent: str = ""  # the parent team's id


@dataclass
class Period:
    name: str
    start: date | None = None
    end: date | None = None


@dataclass
class Export:
    goals: list[Goal] = field(default_factory=list)
    checkins: list[Checkin] = field(default_factory=list)
    users: list[User] = field(default_factory=list)
    teams: list[Team] = field(default_factory=list)
    periods: list[Period] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def refuse(self, place: str, row: int | None, column: str, message: str) -> None:
        self.problems.append(Problem(place, row, column, message))

    def too_many(self, place: str) -> bool:
        if len(self.goals) <= MOST_GOALS:
            return False
        self.refuse(
            place,
            None,
            "",
            f"The export holds {len(self.goals):,} goals; at most {MOST_GOALS:,} import at "
            "once: export each time period on its own and import them one after another.",
        )
        return True


# Values as the export writes them ----------------------------------------------------
DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%d/%m/%Y", "%b %d, %Y", "%d %b %Y", "%B %d, %Y")


def text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def moment(value: object) -> datetime | None:
    """A date or date and time as the export writes it (ISO, US, "Jan 5, 2025", "… UTC")."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        return datetime.combine(value, time(12), tzinfo=UTC)
    written = text(value).removesuffix("UTC").strip()
    if not written:
        return None
    try:
        found = datetime.fromisoformat(written.replace("Z", "+00:00"))
        if len(written) == 10:
            found = found.replace(hour=12)
        return found if found.tzinfo else found.replace(tzinfo=UTC)
    except ValueError:
        pass
    day, _, clock = written.partition(" ") if "," not in written else (written, "", "")
    for form in DATE_FORMATS:
        for candidate, rest in ((written, ""), (day, clock)):
            try:
                found = datetime.strptime(candidate, form)
            except ValueError:
                continue
            if rest:
                try:
                    found = datetime.combine(found.date(), time.fromisoformat(rest))
                except ValueError:
                    continue
            elif found.hour == 0:
                found = found.replace(hour=12)
            return found.replace(tzinfo=UTC)
    raise Unreadable(f"{written!r} is not a date")


def day_of(value: object) -> date | None:
    found = moment(value)
    return found.date() if found else None


def number(value: object) -> float | None:
    """A number as written: "1,200", "35%", "€ 4.5", or none."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    written = re.sub(r"[^\d.\-eE]", "", text(value).replace(",", ""))
    if not written:
        return None
    try:
        return float(written)
    except ValueError:
        raise Unreadable(f"{text(value)!r} is not a number") from None


def names(value: object) -> list[str]:
    """People or teams: a list, or names separated by commas or semicolons."""
    if isinstance(value, list):
        return [name for item in value if (name := person_name(item))]
    return [part.strip() for part in re.split(r"[,;]", text(value)) if part.strip()]


def person_name(item: object) -> str:
    if isinstance(item, dict):
        return text(item.get("Email") or item.get("Name") or item.get("Display Name"))
    return text(item)


ALIGNED = re.compile(r"\(\s*weight:\s*([\d.]*)\s*%?\s*,\s*Id:\s*([^)]+?)\s*\)", re.I)


def alignments(value: object) -> list[Alignment]:
    """`Title(weight: X%, Id: Y)`, one or several, as the Explorer writes them."""
    written = text(value)
    found = [
        Alignment(match[2], float(match[1]) if match[1] else None)
        for match in ALIGNED.finditer(written)
    ]
    if written and not found:
        raise Unreadable(f"{written!r} is not written as Title(weight: X%, Id: Y)")
    return found


CHECKIN = re.compile(
    r"Checkin Date:\s*(?P<at>.*?);\s*User:\s*(?P<user>.*?);\s*Note:\s*(?P<note>.*?);\s*"
    r"Status:\s*(?P<status>.*?);\s*Current Value:\s*(?P<value>.*?);"
    r"(?:\s*Activity Date:\s*(?P<activity>.*?);)?",
    re.S | re.I,
)
