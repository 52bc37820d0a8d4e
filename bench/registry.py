"""The measurements `bench/run.py` runs, registered by name.

A measurement is a function of the `Bench` (database ready, Django set up, a gunicorn
server and an API token) returning one or more `Result`s. Add one in any module of
`bench/` listed in `MODULES` with `@measurement("name")`; the runner prints every result
in one table and writes them all to JSON.
"""

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple


class Result(NamedTuple):
    name: str
    median_ms: float
    p95_ms: float
    queries: float | None  # SQL queries per request (None when it means nothing)
    floor_ms: float | None  # the cheapest comparable request, for the ratio
    per_second: float | None = None  # throughput, for load measurements
    kilobytes: float | None = None  # the size of the page (HTML, JSON or PDF) answered


@dataclass
class Bench:
    size: str
    db: str
    database_url: str
    server_url: str
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


Measurement = Callable[[Bench], list[Result]]
MEASUREMENTS: dict[str, Measurement] = {}
MODULES = [
    "pages_at_scale",
    "write_path",
    "exchange",
]  # modules holding measurements, imported by the runner


def measurement(name: str) -> Callable[[Measurement], Measurement]:
    def register(function: Measurement) -> Measurement:
        MEASUREMENTS[name] = function
        return function

    return register


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def timings(action: Callable[[], object], repeat: int) -> tuple[float, float]:
    """(median, p95) in milliseconds of `repeat` runs of `action`."""
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples), percentile(samples, 0.95)
