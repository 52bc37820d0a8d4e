"""`/health` for load balancers and orchestrators: no login, one `SELECT 1`.

200 {"status": "ok", "database": "ok"} while the database answers, 503 otherwise; with the
queued strategy roll-up, also how many notes its workers owe ("strategy_owed")."""

import logging

from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

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
    except DatabaseError:
        logger.exception("health check: the database does not answer")
        return JsonResponse(
            {"status": "unavailable", "database": "unavailable"}, status=SERVICE_UNAVAILABLE
        )
    answer = {"status": "ok", "database": "ok"}
    if queued():
        answer["strategy_owed"] = StrategyOwed.objects.count()
    return JsonResponse(answer)
