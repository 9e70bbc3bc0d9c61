"""When each stored application is next refreshed: often while it moves, rarely once settled."""

import random
from datetime import timedelta

from django.conf import settings


def _jittered(seconds: float) -> timedelta:
    # Spread work so records stored together do not all come due in the same second (a herd).
    spread = settings.CAMS_REFRESH_JITTER
    return timedelta(seconds=seconds * random.uniform(1 - spread, 1 + spread))


def refresh_interval_seconds(application) -> int:
    """The nominal time between two refreshes of ``application`` (before jitter): settled or moving."""
    return interval_seconds(final=application.is_final)


def interval_seconds(*, final: bool) -> int:
    return settings.CAMS_REFRESH_FINAL_SECONDS if final else settings.CAMS_REFRESH_MOVING_SECONDS


def next_refresh_after_success(application, now):
    return next_refresh_at(final=application.is_final, now=now)


def next_refresh_at(*, final: bool, now):
    return now + _jittered(interval_seconds(final=final))


def next_refresh_after_failure(now):
    return now + _jittered(settings.CAMS_REFRESH_FAILURE_SECONDS)
