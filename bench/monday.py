"""The Monday-morning run: people of every kind reading while check-ins arrive, over HTTP,
against the app served as production serves it.

    .venv/bin/python bench/monday.py [--size small|medium|enterprise] [--db sqlite|postgres]
        [--seconds 45] [--rates 0 1 5] [--import-rows 100000]       # or: make bench-monday

Builds (or reuses) the organisation of the size (`database.prepare`), serves it with gunicorn
and the production config (`server.production`) beside the background workers (`lodestar
worker`, else what this release has: `lodestar rollup --loop` and `db_worker`), then signs
in personas found in the data (the admin, the company's lead, a division, a department and
a team lead, three members). Each reads the dashboard, /alignment/, /okrs/, their unit's
page and the alerts API in a loop on its own thread while check-ins arrive through the API
at each steady rate (a quiet run first). A read counts as computed when its response says it
computed a kept figure (`X-Lodestar-Computed`, lodestar/computed.py), as queued when it
answered at once that its figures are being computed in the background (202,
`X-Lodestar-Queued`: no kept value yet, or one beyond the bound). Then the cold path
(each page's first read after a check-in, per persona), the CEO's tree, and with
--import-rows the import of bench/exchange.py. Tables on stdout; the summary as JSON in
var/bench/.
"""

import argparse
import itertools
import json
import os
import statistics
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parent.parent))

import checkins
import database
import server
from registry import Bench, percentile

COMPUTED = "X-Lodestar-Computed"  # lodestar.computed.HEADER, read here without Django
QUEUED = "X-Lodestar-Queued"  # lodestar.computed.QUEUED_HEADER: "being computed" (202)
SLOW_MS = 1000
TIMEOUT_S = 300  # the client waits longer than gunicorn: a killed worker shows as a 5xx
PAGES = ["dashboard", "alignment", "okrs", "unit", "alerts api"]
WARM_UP_S = 300  # how long the warm-up waits for figures computed in the background


@dataclass
class Persona:
    label: str
    username: str
    unit_id: int
    cookie: str = ""

    def paths(self) -> dict[str, str]:
        return {
            "dashboard": "/",
            "alignment": "/alignment/",
            "okrs": "/okrs/",
            "unit": f"/units/{self.unit_id}/",
            "alerts api": "/api/v1/insights/alerts",
        }


@dataclass
class Read:
    persona: str
    page: str
    status: int
    ms: float
    computed: bool
    kilobytes: float
    queued: bool = False


@dataclass
class Run:
    rate: float
    seconds: float = 0.0
    reads: list[Read] = field(default_factory=list)
    checkins: list[tuple[float, int]] = field(default_factory=list)  # (ms, status)
    writing: float = 0.0  # seconds from the first check-in sent to the last one answered
    timeouts: int = 0


def personas() -> list[Persona]:
    """Who signs in, found in the data: the admin, the lead of the company (the root unit),
    of a division, a department and a team, and three members spread over the teams."""
    from django.conf import settings
    from django.test import Client

    from lodestar.org.models import Membership, Person, Unit

    root = Unit.objects.filter(parent=None).order_by("pk").first()
    admin = (
        Person.objects.filter(username="admin").first()
        or Person.objects.filter(role=Person.Role.ADMIN, is_active=True).order_by("pk").first()
    )
    found = [Persona("admin", admin.username, root.pk)]
    leads = Membership.objects.filter(role="lead", person__is_active=True).order_by("unit_id")
    ceo = leads.filter(unit=root).select_related("person").first()
    if ceo:
        found.append(Persona("CEO", ceo.person.username, root.pk))
    for kind in ["division", "department", "team"]:
        lead = leads.filter(unit__kind=kind).exclude(unit=root).select_related("person").first()
        if lead:
            found.append(Persona(f"{kind} lead", lead.person.username, lead.unit_id))
    taken = {persona.username for persona in found}
    members = list(
        Membership.objects.filter(
            role="member", person__role=Person.Role.MEMBER, person__is_active=True
        )
        .exclude(person__username__in=taken)
        .order_by("unit_id", "person_id")
        .values_list("person__username", "unit_id")
    )
    for number, index in enumerate(sorted({0, len(members) // 2, len(members) - 1}), 1):
        if members:
            found.append(Persona(f"member {number}", *members[index]))
    for persona in found:  # a session each, as a browser holds after signing in
        client = Client()
        client.force_login(Person.objects.get(username=persona.username))
        persona.cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    return found


def session_of(persona: Persona) -> requests.Session:
    from django.conf import settings

    session = requests.Session()
    session.cookies.set(settings.SESSION_COOKIE_NAME, persona.cookie)
    return session


def read(session: requests.Session, base: str, persona: Persona, page: str) -> Read:
    started = time.perf_counter()
    try:
        answer = session.get(base + persona.paths()[page], timeout=TIMEOUT_S)
        status, computed, size = answer.status_code, COMPUTED in answer.headers, len(answer.content)
        queued = QUEUED in answer.headers
    except requests.RequestException:
        status, computed, size = 0, False, 0  # counted with the 5xx: the reader got nothing
        queued = False
    ms = (time.perf_counter() - started) * 1000
    return Read(persona.label, page, status, ms, computed, size / 1024, queued)


class Writer:
    """Check-ins through the API with the admin's token, each in its own request."""

    def __init__(self, base: str, token: str):
        self.base = base
        self.headers = {"Authorization": f"Bearer {token}"}
        self.bodies, _ = checkins.checkin_bodies(base, self.headers, 5000)
        self.sent = itertools.count()
        self.local = threading.local()

    def check_in(self) -> tuple[float, int]:
        if not hasattr(self.local, "session"):
            self.local.session = requests.Session()
            self.local.session.headers.update(self.headers)
        body = self.bodies[next(self.sent) % len(self.bodies)]
        started = time.perf_counter()
        try:
            status = self.local.session.post(
                f"{self.base}/api/v1/checkins/",
                json=body,
                headers={"Idempotency-Key": uuid.uuid4().hex},
                timeout=TIMEOUT_S,
            ).status_code
        except requests.RequestException:
            status = 0
        return (time.perf_counter() - started) * 1000, status

    def steady(self, rate: float, until: float, into: list) -> float:
        """Check-ins due at a steady `rate` a second until `until`, each sent when due even
        while earlier ones wait for an answer (as independent people check in); returns the
        seconds until the last one was answered."""
        if not rate:
            return 0.0
        started = time.perf_counter()
        with ThreadPoolExecutor(32) as pool:
            for number in range(10**9):
                due = started + number / rate
                if due >= until:
                    break
                time.sleep(max(0.0, due - time.perf_counter()))
                pool.submit(lambda: into.append(self.check_in()))
        return time.perf_counter() - started


def worker_timeouts(log: Path) -> int:
    return log.read_text(errors="replace").count("WORKER TIMEOUT") if log.exists() else 0


def warm_up(base: str, people: list[Persona]) -> list[Read]:
    """Every persona reads every page, all at once, again while any page answers that its
    figures are being computed in the background (202), for up to WARM_UP_S: the kept
    figures a quiet morning starts from."""
    reads: list[Read] = []
    deadline = time.perf_counter() + WARM_UP_S

    def reader(persona: Persona) -> None:
        session = session_of(persona)
        for page in PAGES:
            answer = read(session, base, persona, page)
            reads.append(answer)
            while answer.queued and time.perf_counter() < deadline:
                time.sleep(1)
                answer = read(session, base, persona, page)
                reads.append(answer)

    threads = [threading.Thread(target=reader, args=(persona,)) for persona in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return reads


def load_run(base, people, writer, rate, seconds, log) -> Run:
    run = Run(rate)
    timeouts = worker_timeouts(log)
    started = time.perf_counter()
    until = started + seconds

    def reader(offset: int, persona: Persona) -> None:
        session = session_of(persona)
        for turn in range(offset, 10**9):  # each persona starts on another page
            if time.perf_counter() >= until:
                return
            run.reads.append(read(session, base, persona, PAGES[turn % len(PAGES)]))

    threads = [threading.Thread(target=reader, args=pair) for pair in enumerate(people)]

    def writing() -> None:
        run.writing = writer.steady(rate, until, run.checkins)

    threads.append(threading.Thread(target=writing))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    run.seconds = time.perf_counter() - started
    run.timeouts = worker_timeouts(log) - timeouts
    return run


def figures(reads: list[Read], seconds: float) -> dict:
    times = [r.ms for r in reads] or [0.0]
    return {
        "reads": len(reads),
        "median": statistics.median(times),
        "p95": percentile(times, 0.95),
        "max": max(times),
        "slow": sum(r.ms > SLOW_MS for r in reads),
        "slow computed": sum(r.ms > SLOW_MS and r.computed for r in reads),
        "per second": len(reads) / seconds if seconds else 0.0,
        "5xx": sum(r.status >= 500 or r.status == 0 for r in reads),
        "computed": sum(r.computed for r in reads),
        "queued": sum(r.queued for r in reads),
    }


def run_label(rate: float) -> str:
    return "quiet" if not rate else f"{rate:g}/s"


def load_table(runs: list[Run]) -> str:
    header = (
        f"{'run':<6} {'page':<11} {'reads':>5} {'median':>7} {'p95':>7} {'max':>7} "
        f"{'>1s':>4} {'>1s cold':>8} {'reads/s':>7} {'5xx':>4} {'computed':>8} "
        f"{'queued':>6} {'×med':>5} {'×p95':>5}"
    )
    lines = [header, "-" * len(header)]
    quiet = {}
    for run in runs:
        for page in [*PAGES, "all"]:
            reads = [r for r in run.reads if page in ("all", r.page)]
            found = figures(reads, run.seconds)
            if not run.rate:
                quiet[page] = found
            base = quiet.get(page)
            ratio_median = found["median"] / base["median"] if base and base["median"] else 0
            ratio_p95 = found["p95"] / base["p95"] if base and base["p95"] else 0
            lines.append(
                f"{run_label(run.rate):<6} {page:<11} {found['reads']:>5} {found['median']:>7,.0f} "
                f"{found['p95']:>7,.0f} {found['max']:>7,.0f} {found['slow']:>4} "
                f"{found['slow computed']:>8} {found['per second']:>7.2f} {found['5xx']:>4} "
                f"{found['computed']:>8} {found['queued']:>6} {ratio_median:>5.1f} "
                f"{ratio_p95:>5.1f}"
            )
        lines.append("")
    lines.append(
        f"{'run':<6} {'seconds':>7} {'check-ins':>9} {'failed':>6} {'per s':>6} "
        f"{'p50 ms':>7} {'p95 ms':>7} {'worker timeouts':>15}"
    )
    for run in runs:
        done = [ms for ms, status in run.checkins if status == 201]
        p50 = statistics.median(done) if done else 0
        p95 = percentile(done, 0.95) if done else 0
        lines.append(
            f"{run_label(run.rate):<6} {run.seconds:>7.0f} {len(done):>9} "
            f"{len(run.checkins) - len(done):>6} {len(done) / (run.writing or 1):>6.2f} "
            f"{p50:>7,.0f} {p95:>7,.0f} {run.timeouts:>15}"
        )
    return "\n".join(lines)


def cold_path(base: str, people: list[Persona], writer: Writer) -> str:
    """Each page's first read after a check-in, per persona: for each page one check-in,
    then every persona reads that page at once (as a Monday morning meets a write), then
    all read it again. * marks a read that computed a kept figure, ~ one answered that its
    figures are being computed (202), ! a failed check-in or read."""
    cells: dict[tuple[str, str], str] = {}
    sessions = {persona.label: session_of(persona) for persona in people}
    for page in PAGES:
        _, status = writer.check_in()
        with ThreadPoolExecutor(len(people)) as pool:
            rounds = [
                list(pool.map(lambda p, page=page: read(sessions[p.label], base, p, page), people))
                for _ in range(2)
            ]
        for cold, again in zip(*rounds, strict=True):
            failed = status != 201 or cold.status not in (200, 202)
            cells[cold.persona, page] = (
                f"{cold.ms:,.0f}{mark(cold)}{'!' if failed else ' '}/ {again.ms:,.0f}{mark(again)}"
            )
    header = f"{'persona':<16}" + "".join(f"{page:>20}" for page in PAGES)
    lines = [header, "-" * len(header)]
    for persona in people:
        row = "".join(f"{cells[persona.label, page]:>20}" for page in PAGES)
        lines.append(f"{persona.label:<16}{row}")
    return "\n".join(lines)


def mark(answer: Read) -> str:
    return "*" if answer.computed else "~" if answer.queued else " "


def trees(people: list[Persona], quiet: Run) -> str:
    lines = [f"{'persona':<16} {'/okrs/ KB':>10} {'median ms':>10} {'p95 ms':>8} {'reads':>6}"]
    for persona in people:
        reads = [r for r in quiet.reads if (r.persona, r.page) == (persona.label, "okrs")]
        if reads:
            times = [r.ms for r in reads]
            lines.append(
                f"{persona.label:<16} {max(r.kilobytes for r in reads):>10,.0f} "
                f"{statistics.median(times):>10,.0f} {percentile(times, 0.95):>8,.0f} "
                f"{len(reads):>6}"
            )
    return "\n".join(lines)


def background_workers() -> list[list[str]]:
    """The one job mechanism's workers when this release has them (`lodestar worker`): one
    for the kept figures' queue alone, as production runs it (a worker runs one job at a
    time, and a minute of reminders must not hold the figures readers wait for), and one
    for every queue; else what it has: the roll-up loop, and django-tasks' worker for the
    queued jobs (the kept figures' background refresh among them)."""
    from django.core.management import get_commands

    commands = get_commands()
    if "worker" in commands:
        return [["worker", "--queue", "insights"], ["worker"]]
    found = [["rollup", "--loop", "--interval", "0.2"]]
    if "db_worker" in commands:
        found.append(["db_worker", "--queue-name", "*", "--no-reload", "--interval", "0.2"])
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=list(database.PEOPLE), default="small")
    parser.add_argument("--db", "--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--seconds", type=float, default=45, help="length of each run")
    parser.add_argument("--rates", type=float, nargs="+", default=[0, 1, 5])
    parser.add_argument("--rollup", choices=["queued", "inline"], default="queued")
    parser.add_argument("--no-cold", action="store_true", help="skip the cold path")
    parser.add_argument("--import-rows", type=int, help="also time bench/exchange.py's import")
    options = parser.parse_args()

    url, built = database.prepare(options.size, options.db)
    os.environ.update(DATABASE_URL=url, DEBUG="false", ROLLUP_STRATEGY=options.rollup)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lodestar.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("collectstatic", "--no-input", verbosity=0)  # pages need the manifest
    workers = background_workers()
    people = personas()
    stamp = time.strftime("%Y%m%dT%H%M%S")
    log = database.ROOT / "var" / "bench" / f"monday-{options.size}-{options.db}-{stamp}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    print(
        f"{options.size} organisation on {options.db}"
        + (f" (built in {built:.0f} s)" if built else "")
        + "; gunicorn -c lodestar/gunicorn_conf.py; workers: "
        + " + ".join("lodestar " + " ".join(worker) for worker in workers)
        + f"; "
        f"{options.rollup} roll-up; {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}",
        flush=True,
    )
    print("personas: " + ", ".join(f"{p.label} ({p.username})" for p in people), flush=True)
    runs: list[Run] = []
    with server.production(url, log, workers, options.rollup) as base:
        writer = Writer(base, server.api_token())
        started = time.perf_counter()
        warm = warm_up(base, people)
        print(
            f"warm-up: {len(warm)} reads in {time.perf_counter() - started:.0f} s, "
            f"{sum(r.queued for r in warm)} answered 'being computed', "
            f"{sum(r.status not in (200, 202) for r in warm)} neither 200 nor 202",
            flush=True,
        )
        for rate in options.rates:
            print(f"… {run_label(rate)} run, {options.seconds:.0f} s", flush=True)
            runs.append(load_run(base, people, writer, rate, options.seconds, log))
        print(f"\nReads (ms) by run and page, {len(people)} readers; ×: to the quiet run")
        print(load_table(runs), flush=True)
        quiet = next((run for run in runs if not run.rate), runs[0])
        print("\nEach persona's /okrs/ in the quiet run (the CEO's tree)")
        print(trees(people, quiet), flush=True)
        if not options.no_cold:
            print("\nCold path: ms of each page's first read after a check-in / the next read")
            print(cold_path(base, people, writer), flush=True)
        imported = []
        if options.import_rows:
            os.environ["BENCH_IMPORT_ROWS"] = str(options.import_rows)
            import exchange
            import run as runner

            imported = exchange.import_and_export(Bench(options.size, options.db, url, base, ""))
            print(f"\nImport (bench/exchange.py, {options.import_rows:,} rows)")
            print(runner.table(imported))
    print(
        f"\nworker timeouts and errors: {log}; {os.cpu_count()} cores shared, load "
        f"{' '.join(f'{n:.1f}' for n in os.getloadavg())}"
    )
    summary = {
        "size": options.size,
        "db": options.db,
        "build_seconds": built,
        "workers": workers,
        "personas": [p.label for p in people],
        "runs": [
            {
                "rate": run.rate,
                "seconds": run.seconds,
                "worker_timeouts": run.timeouts,
                "pages": {
                    page: figures([r for r in run.reads if page in ("all", r.page)], run.seconds)
                    for page in [*PAGES, "all"]
                },
                "checkins_ms": sorted(ms for ms, status in run.checkins if status == 201),
                "checkins_failed": sum(status != 201 for _, status in run.checkins),
            }
            for run in runs
        ],
        "import": [result._asdict() for result in imported],
        "load_average": os.getloadavg(),
    }
    path = log.with_suffix(".json")
    path.write_text(json.dumps(summary, indent=1))
    print(f"written to {path}")


if __name__ == "__main__":
    main()
