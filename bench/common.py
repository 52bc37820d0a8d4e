"""Shared set-up for benchmarks: a fresh database (SQLite file by default, or
BENCH_DATABASE_URL) migrated and loaded with the demo organisation."""

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def setup_demo_database() -> None:
    workdir = tempfile.mkdtemp(prefix="lodestar-bench-")
    url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{workdir}/bench.sqlite3"
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DEBUG", "false")  # DEBUG logs every query: not what users run
    os.environ.setdefault("STATIC_ROOT", f"{workdir}/static")  # pages need the manifest
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lodestar.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("flush", "--no-input", verbosity=0) if "postgres" in url else None
    call_command("migrate", "--no-input", verbosity=0)
    call_command("collectstatic", "--no-input", verbosity=0)
    started = time.perf_counter()
    with open(os.devnull, "w") as quiet:
        call_command("demo", stdout=quiet)
    print(f"demo organisation built in {time.perf_counter() - started:.1f} s ({url.split(':')[0]})")


def timed(label: str, action: Callable[[], object], repeat: int) -> list[float]:
    """Run `action` `repeat` times; print median and p90 in milliseconds."""
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    p90 = samples[int(0.9 * (len(samples) - 1))]
    print(f"{label}: median {statistics.median(samples):.1f} ms, p90 {p90:.1f} ms (n={repeat})")
    return samples
