"""The benchmarks, one command: build (or reuse) the demo of a size in its own database,
serve it with gunicorn, run every registered measurement, print one table.

    python bench/run.py [--size small|medium|enterprise] [--db sqlite|postgres]
                        [--json out.json] [--only NAME ...]

Measurements live in the modules `registry.MODULES` names (see `registry.py`). The older
single-purpose scripts (pages.py, okr_pages.py, insights.py, rollup.py, checkins.py) still
run on their own on a fresh small demo.
"""

import argparse
import importlib
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parent.parent))

import database
import registry
import server


def table(results: list[registry.Result]) -> str:
    def number(value, digits: int = 1) -> str:
        return "" if value is None else f"{value:,.{digits}f}"

    header = f"{'measurement':<44} {'median ms':>10} {'p95 ms':>10} {'queries':>8} "
    header += f"{'floor ms':>9} {'ratio':>6} {'req/s':>8}"
    lines = [header, "-" * len(header)]
    for result in results:
        ratio = result.median_ms / result.floor_ms if result.floor_ms else None
        lines.append(
            f"{result.name:<44} {number(result.median_ms):>10} {number(result.p95_ms):>10} "
            f"{number(result.queries, 0):>8} {number(result.floor_ms):>9} "
            f"{number(ratio):>6} {number(result.per_second):>8}"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=list(database.PEOPLE), default="small")
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--only", nargs="*", help="run only these measurements")
    options = parser.parse_args()

    url, built = database.prepare(options.size, options.db)
    os.environ["DATABASE_URL"] = url
    os.environ["DEBUG"] = "false"  # DEBUG logs every query: not what users run
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lodestar.settings")
    import django

    django.setup()
    for module in registry.MODULES:
        importlib.import_module(module)
    names = options.only or list(registry.MEASUREMENTS)
    results: list[registry.Result] = []
    with server.gunicorn(url) as server_url:
        bench = registry.Bench(options.size, options.db, url, server_url, server.api_token())
        for name in names:
            print(f"… {name}", flush=True)
            results.extend(registry.MEASUREMENTS[name](bench))
    print(
        f"\n{options.size} organisation on {options.db}"
        + (f", built in {built:.0f} s" if built else "")
    )
    print(table(results))
    if options.json:
        document = {
            "size": options.size,
            "db": options.db,
            "build_seconds": built,
            "results": [result._asdict() for result in results],
        }
        options.json.write_text(json.dumps(document, indent=2))
        print(f"written to {options.json}")


if __name__ == "__main__":
    main()
