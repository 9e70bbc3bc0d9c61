"""Liveness and readiness probes for compose healthchecks and orchestrators.

``/healthz``: the process is up and answering (touches nothing else).
``/readyz``: the database answers and, when ``REDIS_URL`` is set, Redis does too; 503 otherwise.

Answered by a middleware placed first, so a probe costs no session, no user, no host check
(a healthcheck inside a container asks for 127.0.0.1, which ``ALLOWED_HOSTS`` need not list)
and no HTTPS redirect. Both are public and say nothing beyond "ok" or which dependency failed.
"""

import logging
from functools import lru_cache

import redis
from django.conf import settings
from django.db import DatabaseError, connections
from django.http import JsonResponse

log = logging.getLogger(__name__)

HEALTHZ_PATH = "/healthz"
READYZ_PATH = "/readyz"
_TIMEOUT_SECONDS = 2


@lru_cache(maxsize=4)
def _redis_client(url: str) -> redis.Redis:
    return redis.Redis.from_url(url, socket_connect_timeout=_TIMEOUT_SECONDS, socket_timeout=_TIMEOUT_SECONDS)


def _database_ok() -> bool:
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except DatabaseError:
        log.warning("readiness: the database does not answer", exc_info=True)
        return False


def _redis_ok() -> bool | None:
    if not settings.REDIS_URL:
        return None  # not configured: the embedded mode has no Redis to wait for
    try:
        return bool(_redis_client(settings.REDIS_URL).ping())
    except redis.RedisError:
        log.warning("readiness: Redis does not answer", exc_info=True)
        return False


def _answer(body: dict, status: int) -> JsonResponse:
    response = JsonResponse(body, status=status)
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def healthz() -> JsonResponse:
    return _answer({"status": "ok"}, 200)


def readyz() -> JsonResponse:
    checks = {"database": _database_ok()}
    if (redis_state := _redis_ok()) is not None:
        checks["redis"] = redis_state
    ready = all(checks.values())
    body = {"status": "ok" if ready else "unavailable", "checks": {k: "ok" if v else "down" for k, v in checks.items()}}
    return _answer(body, 200 if ready else 503)


class ProbesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("GET", "HEAD"):
            path = request.path_info.rstrip("/")
            if path == HEALTHZ_PATH:
                return healthz()
            if path == READYZ_PATH:
                return readyz()
        return self.get_response(request)
