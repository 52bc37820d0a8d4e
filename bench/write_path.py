"""The write path: a full recompute, and check-ins through the API under load."""

import os
import random
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import requests
from registry import Bench, Result, measurement, percentile, timings

CLIENTS = (1, 4, 16)
REQUESTS_PER_CLIENT = 40


@measurement("recompute")
def recompute(bench: Bench) -> list[Result]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from lodestar.okrs.models import KeyResult, Objective
    from lodestar.scores.rollup import recompute_all
    from lodestar.strategy.models import StrategicObjective

    with CaptureQueriesContext(connection) as queries:
        recompute_all()
    steady = timings(recompute_all, repeat=3)

    def from_cleared() -> None:
        KeyResult.objects.update(progress=None, score=None)
        Objective.objects.update(score=None)
        StrategicObjective.objects.update(performance=None, execution=None)
        started = time.perf_counter()
        recompute_all()
        samples.append((time.perf_counter() - started) * 1000)

    samples: list[float] = []
    for _ in range(2):
        from_cleared()
    command = timings(lambda: lodestar_recompute(bench), repeat=2)
    return [
        Result("lodestar recompute (the command)", *command, len(queries), None),
        Result("recompute, scores already right", *steady, len(queries), None),
        Result(
            "recompute, every score cleared",
            statistics.median(samples),
            percentile(samples, 0.95),
            None,
            None,
        ),
    ]


def lodestar_recompute(bench: Bench) -> None:
    """The command as people run it: a process of its own, Django's start-up included."""
    env = {**os.environ, "DATABASE_URL": bench.database_url}
    command = [sys.executable, "-m", "lodestar", "recompute"]
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)


def active_key_results() -> list[tuple[int, float, float]]:
    from lodestar.okrs.models import KeyResult

    return list(
        KeyResult.objects.filter(cycle__state="active", kind="metric")
        .order_by("pk")
        .values_list("pk", "baseline", "target")
    )


def load(bench: Bench, clients: int, request) -> tuple[list[float], float]:
    """Each client sends REQUESTS_PER_CLIENT requests one after another; returns the
    latencies (ms) and the requests per second over the whole run."""
    sessions = [requests.Session() for _ in range(clients)]
    for session in sessions:
        session.headers.update(bench.headers)

    def client(index: int) -> list[float]:
        latencies = []
        for step in range(REQUESTS_PER_CLIENT):
            started = time.perf_counter()
            response = request(sessions[index], index * REQUESTS_PER_CLIENT + step)
            latencies.append((time.perf_counter() - started) * 1000)
            if response.status_code >= 400:
                raise SystemExit(f"HTTP {response.status_code}: {response.text[:300]}")
        return latencies

    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        latencies = [ms for batch in pool.map(client, range(clients)) for ms in batch]
    return latencies, len(latencies) / (time.perf_counter() - started)


@measurement("check-in API")
def checkin_api(bench: Bench) -> list[Result]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from lodestar.okrs.models import Cycle

    key_results = active_key_results()
    cycle = Cycle.objects.get(state="active").pk
    rng = random.Random(7)

    def body(index: int) -> dict:
        pk, baseline, target = key_results[rng.randrange(len(key_results))]
        low, high = sorted((baseline, target))
        return {"key_result": pk, "value": round(rng.uniform(low, high), 2), "confidence": 7}

    client = Client(HTTP_AUTHORIZATION=bench.headers["Authorization"])
    with CaptureQueriesContext(connection) as queries:
        response = client.post("/api/v1/checkins/", body(0), content_type="application/json")
    assert response.status_code == 201, response.content
    results = []
    for clients in CLIENTS:
        floor, _ = load(
            bench,
            clients,
            lambda session, _: session.get(f"{bench.server_url}/api/v1/cycles/{cycle}", timeout=60),
        )
        latencies, rate = load(
            bench,
            clients,
            lambda session, index: session.post(
                f"{bench.server_url}/api/v1/checkins/", json=body(index), timeout=60
            ),
        )
        results.append(
            Result(
                f"check-in API, {clients} client{'s' if clients > 1 else ''}",
                statistics.median(latencies),
                percentile(latencies, 0.95),
                len(queries),
                statistics.median(floor),
                rate,
            )
        )
        lag = drain_lag()
        if lag is not None:
            results.append(
                Result(f"  strategy current again after ({clients})", lag, lag, None, None)
            )
    return results


def drain_lag() -> float | None:
    """With the queued roll-up: ms from the end of a load until the worker owes nothing."""
    from lodestar.scores.models import StrategyOwed
    from lodestar.scores.rollup import queued

    if not queued():
        return None
    started = time.perf_counter()
    while StrategyOwed.objects.exists():
        time.sleep(0.05)
    return (time.perf_counter() - started) * 1000
