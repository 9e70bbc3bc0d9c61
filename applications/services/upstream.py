"""Every CAMS call goes through here, so web lookups and Celery refreshes share one rate limit."""

import time

from django.conf import settings

from ..cams import client, errors
from ..coordination import coordinator

RATE_LIMIT_NAME = "cams:GetViberByRequestNo"


def cams_fetch_rate_limited(*, request_no: str, cust_space_id: str = "", max_wait: float | None = None):
    """Wait for a slot under CAMS_MAX_QPS (shared by all processes), then call CAMS once.

    Side effects: one network call; counters in the coordination backend. Raises Throttled
    without calling when the wait would exceed ``max_wait`` (default CAMS_RATE_LIMIT_WAIT_SECONDS).
    """
    backend = coordinator()
    wait_limit = settings.CAMS_RATE_LIMIT_WAIT_SECONDS if max_wait is None else max_wait
    # A granted slot counts as a call in the same step (one round trip instead of two).
    delay = backend.reserve(RATE_LIMIT_NAME, qps=settings.CAMS_MAX_QPS, max_wait=wait_limit, count="calls")
    if delay is None:
        backend.incr("local_throttled")
        raise errors.Throttled("Too many CAMS calls queued locally; try again shortly", code="LocalRateLimit")
    if delay > 0:
        time.sleep(delay)
    try:
        return client.fetch_application(request_no=request_no, cust_space_id=cust_space_id)
    except errors.Throttled:
        backend.incr("throttled")
        raise
