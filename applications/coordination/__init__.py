"""Cross-process coordination: single-flight locks and the shared CAMS rate limiter.

Redis when ``REDIS_URL`` is set (production, CI); otherwise file locks under ``var/``, which
coordinate the processes of one machine (the embedded default: web, worker and beat).
"""

from functools import cache

from django.conf import settings


@cache
def _backend_for(redis_url: str, lock_dir: str):
    if redis_url:
        from .redis_backend import RedisCoordinator

        return RedisCoordinator(redis_url)
    from .file_backend import FileCoordinator

    return FileCoordinator(lock_dir)


def coordinator():
    """The backend for the current settings (tests may switch REDIS_URL)."""
    return _backend_for(settings.REDIS_URL, str(settings.COORDINATION_LOCK_DIR))
