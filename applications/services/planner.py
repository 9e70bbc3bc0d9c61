"""The refresh planner, run by beat every CAMS_PLANNER_INTERVAL_SECONDS.

One planner at a time (a coordination lock) leases the due records (``refresh_plan_due``) and
enqueues one refresh task each (``applications_refresh_enqueue``).
"""

import logging

from django.conf import settings
from django.utils import timezone

from ..coordination import coordinator
from .refresh import applications_refresh_enqueue, refresh_plan_due

logger = logging.getLogger(__name__)

PLANNER_LOCK = "refresh-planner"


def planner_lock_ttl() -> float:
    """How long one planner run may hold the planner lock.

    Two beats (or a slow run overlapping the next) must not both plan; a planner that dies holding
    the lock must not cost more than its own run, so the lock ends before the next beat.
    """
    return settings.CAMS_PLANNER_INTERVAL_SECONDS * 0.9


def refresh_plan_and_enqueue(*, batch=None) -> int:
    """Lease due records and enqueue one refresh task each; returns how many were planned.

    Side effects: a coordination lock, DB writes (the leases), Celery messages. Returns 0 without
    doing anything while another planner holds the lock.
    """
    backend = coordinator()
    if not backend.try_lock(PLANNER_LOCK, ttl=planner_lock_ttl()):
        return 0
    try:
        ids = refresh_plan_due(batch=batch)
    finally:
        backend.unlock(PLANNER_LOCK)
    applications_refresh_enqueue(application_ids=ids, planned_at=timezone.now())
    logger.info("planned %d refreshes", len(ids))
    return len(ids)
