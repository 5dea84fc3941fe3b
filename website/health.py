"""Health checks for a load balancer or orchestrator: never cached, never touching more than
they report on.

- /healthz: liveness. The process answers; no database, no template. It is also the floor the
  benchmark compares every page with (Django's own cost on this machine).
- /readyz: readiness. The database and the cache both answer; 503 with Retry-After otherwise.
"""

import logging

from django.core.cache import cache
from django.db import DatabaseError, connection, transaction
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 10


@transaction.non_atomic_requests  # ATOMIC_REQUESTS would open a database connection
@never_cache
def healthz(request):
    return HttpResponse("ok\n", content_type="text/plain")


@transaction.non_atomic_requests
@never_cache
def readyz(request):
    checks = {"database": _database_answers(), "cache": _cache_answers()}
    ready = all(checks.values())
    response = JsonResponse(
        {
            "status": "ready" if ready else "unavailable",
            **{name: "ok" if ok else "down" for name, ok in checks.items()},
        },
        status=200 if ready else 503,
    )
    if not ready:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def _database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        logger.warning("Readiness: the database does not answer.", exc_info=True)
        return False


def _cache_answers() -> bool:
    try:
        cache.set("readyz", "ok", timeout=10)
        return cache.get("readyz") == "ok"
    except Exception:  # each cache backend raises its own errors (redis.ConnectionError, …)
        logger.warning("Readiness: the cache does not answer.", exc_info=True)
        return False
