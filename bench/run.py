"""The benchmarks, one command: build (or reuse) the demo of a size in its own database,
serve it with gunicorn, run every registered measurement, print one table.

    python bench/run.py [--size small|medium|enterprise] [--db sqlite|postgres]
                        [--json out.json] [--only NAME ...]

Measurements live in the modules `registry.MODULES` names (see `registry.py`); the JSON
goes to var/bench/<size>-<db>-<time>.json unless --json says where. The older
single-purpose scripts (pages.py, okr_pages.py, insights.py, rollup.py, checkins.py) still
run on their own on a fresh small demo.
"""

import argparse
import importlib
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parent.parent))

import database
import registry
import server


def table(results: list[registry.Result]) -> str:
    def number(value, digits: int = 1) -> str:
        return "" if value is None else f"{value:,.{digits}f}"

    header = f"{'measurement':<36} {'median ms':>10} {'p95 ms':>10} {'queries':>8} "
    header += f"{'KB':>7} {'floor ms':>9} {'ratio':>6} {'per s':>8}"
    lines = [header, "-" * len(header)]
    for result in results:
        ratio = result.median_ms / result.floor_ms if result.floor_ms else None
        lines.append(
            f"{result.name:<36} {number(result.median_ms):>10} {number(result.p95_ms):>10} "
            f"{number(result.queries, 0):>8} {number(result.kilobytes, 0):>7} "
            f"{number(result.floor_ms):>9} {number(ratio):>6} {number(result.per_second):>8}"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=list(database.PEOPLE), default="small")
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--json", type=Path, help="write the results here (default var/bench/)")
    parser.add_argument("--only", nargs="*", help="run only these measurements")
    parser.add_argument(
        "--rollup",
        choices=["queued", "inline"],  # scores.rollup.ROLLUP_MODES
        default="queued",
        help="the server's strategy roll-up (ROLLUP_STRATEGY); queued runs one rollup worker",
    )
    options = parser.parse_args()

    url, built = database.prepare(options.size, options.db)
    os.environ["DATABASE_URL"] = url
    os.environ["DEBUG"] = "false"  # DEBUG logs every query: not what users run
    os.environ["ROLLUP_STRATEGY"] = options.rollup  # this process's writes too
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lodestar.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("collectstatic", "--no-input", verbosity=0)  # pages need the manifest
    # The pages measured in this process are served as the app servers serve them: by a
    # process set up by lodestar.wsgi (views imported, the long-lived objects frozen).
    import lodestar.wsgi  # noqa: F401

    for module in registry.MODULES:
        importlib.import_module(module)
    names = options.only or list(registry.MEASUREMENTS)
    results: list[registry.Result] = []
    with server.gunicorn(url, options.rollup) as server_url:
        bench = registry.Bench(options.size, options.db, url, server_url, server.api_token())
        for name in names:
            print(f"… {name}", flush=True)
            results.extend(registry.MEASUREMENTS[name](bench))
    print(
        f"\n{options.size} organisation on {options.db}, {options.rollup} strategy roll-up"
        + (f", built in {built:.0f} s" if built else "")
    )
    print(table(results))
    stamp = time.strftime("%Y%m%dT%H%M%S")
    path = (
        options.json
        or database.ROOT / "var" / "bench" / f"{options.size}-{options.db}-{stamp}.json"
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    document = {
        "size": options.size,
        "db": options.db,
        "build_seconds": built,
        "load_average": os.getloadavg(),
        "results": [result._asdict() for result in results],
    }
    path.write_text(json.dumps(document, indent=2))
    print(f"written to {path}")


if __name__ == "__main__":
    main()
