"""Celery tasks: thin wrappers that unwrap ids and call services (see services/refresh.py).

One direction between the layers: services import this module at module level to enqueue
(``services.refresh.applications_refresh_enqueue``, ``services.bulk_lookup``), and each task
imports the services it calls inside its body, so importing this module never loads a service.
"""

import logging
import random
import time
from datetime import datetime

from celery import shared_task
from django.conf import settings

logger = logging.getLogger(__name__)


def retry_countdown(attempt: int) -> float:
    """Exponential backoff with full jitter, capped below the broker's visibility timeout."""
    ceiling = min(settings.CAMS_REFRESH_RETRY_MAX_SECONDS, settings.CAMS_REFRESH_RETRY_BASE_SECONDS * 2**attempt)
    return random.uniform(ceiling / 2, ceiling)


@shared_task(acks_late=True, ignore_result=True)
def refresh_plan_due():
    """Beat's entry point (see CELERY_BEAT_SCHEDULE)."""
    from .services.planner import refresh_plan_and_enqueue

    return refresh_plan_and_enqueue()


def _retry_countdown(outcome, attempt: int) -> float | None:
    """Seconds until a refresh that ended with ``outcome`` is tried again, or None for no retry."""
    from .services.refresh import Outcome

    if attempt >= settings.CAMS_REFRESH_MAX_RETRIES:
        return None
    if outcome == Outcome.THROTTLED:
        return retry_countdown(attempt)
    if outcome == Outcome.BUSY:
        # The holder may be a worker that died mid-task: look again once its claim has expired.
        return min(settings.CELERY_TASK_TIME_LIMIT + 1, settings.CAMS_REFRESH_RETRY_MAX_SECONDS)
    return None


@shared_task(bind=True, acks_late=True, ignore_result=True, max_retries=None)
def application_refresh(self, application_id: int, attempt: int = 0, planned_at: str | None = None):
    from .services import refresh

    planned = datetime.fromisoformat(planned_at) if planned_at else None
    outcome = refresh.application_refresh(application_id=application_id, planned_at=planned)
    if (countdown := _retry_countdown(outcome, attempt)) is not None:
        raise self.retry(args=[application_id, attempt + 1], kwargs={"planned_at": planned_at}, countdown=countdown)
    return str(outcome)


@shared_task(acks_late=True, ignore_result=True)
def application_refresh_batch(application_ids: list[int], planned_at: str | None = None):
    """Refresh a few records in turn; one to retry (throttled, busy) gets an ``application_refresh`` task."""
    from .services import refresh

    planned = datetime.fromisoformat(planned_at) if planned_at else None
    # Hand what is left to a new task well before the time limit (each refresh may wait for a
    # rate-limit slot); a redelivered batch skips what it already did (planned_at).
    budget = time.monotonic() + settings.CELERY_TASK_SOFT_TIME_LIMIT / 2
    for index, application_id in enumerate(application_ids):
        if time.monotonic() > budget:
            application_refresh_batch.delay(application_ids[index:], planned_at=planned_at)
            return
        outcome = refresh.application_refresh(application_id=application_id, planned_at=planned)
        if (countdown := _retry_countdown(outcome, 0)) is not None:
            application_refresh.apply_async(
                args=[application_id, 1], kwargs={"planned_at": planned_at}, countdown=countdown
            )


@shared_task(acks_late=True, ignore_result=True)
def bulk_lookup_chunk(bulk_id: int, item_ids: list[int]):
    """A few numbers of a bulk lookup; see services/bulk_lookup.py."""
    from .services.bulk_lookup import bulk_lookup_run_chunk

    return bulk_lookup_run_chunk(bulk_id=bulk_id, item_ids=item_ids)
