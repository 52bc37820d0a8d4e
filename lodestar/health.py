"""`/health` for load balancers and orchestrators: no login, one `SELECT 1`, then the jobs.

200 {"status": "ok", "database": "ok", …} while the database answers, 503 otherwise; with
the queued strategy roll-up, also how many notes its workers owe ("strategy_owed"). Per
queue, how many jobs wait and how long the oldest has waited, and whether a live worker
serves it: "degraded" (still 200, the app serves pages) when a job waits with no worker for
its queue or longer than JOBS_STALE_AFTER_SECONDS."""

import logging
from dataclasses import asdict

from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from lodestar.jobs.selectors import queue_states
from lodestar.scores.models import StrategyOwed
from lodestar.scores.rollup import queued

logger = logging.getLogger(__name__)
SERVICE_UNAVAILABLE = 503


@never_cache
@require_safe  # GET or HEAD, as load balancers probe
def health(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        workers, queues = queue_states()
        owed = StrategyOwed.objects.count() if queued() else None
    except DatabaseError:
        logger.exception("health check: the database does not answer")
        return JsonResponse(
            {"status": "unavailable", "database": "unavailable"}, status=SERVICE_UNAVAILABLE
        )
    stuck = [name for name, state in queues.items() if state.stuck()]
    answer = {
        "status": "degraded" if stuck else "ok",
        "database": "ok",
        "workers": workers,
        "queues": {name: asdict(state) for name, state in queues.items()},
    }
    if stuck:
        answer["stuck_queues"] = stuck
    if owed is not None:
        answer["strategy_owed"] = owed
    return JsonResponse(answer)
