"""Celery tasks: thin wrappers that unwrap ids and call services (see services/refresh.py).

One direction between the layers: services import this module at module level to enqueue
(``services.refresh.applications_refresh_enqueue``, ``services.bulk_lookup``), and each task
imports the services it calls inside its body, so importing this module never loads a service.
"""

import logging
import random
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


@shared_task(bind=True, acks_late=True, ignore_result=True, max_retries=None)
def application_refresh(self, application_id: int, attempt: int = 0, planned_at: str | None = None):
    from .services import refresh

    planned = datetime.fromisoformat(planned_at) if planned_at else None
    outcome = refresh.application_refresh(application_id=application_id, planned_at=planned)
    retry_kwargs = {"planned_at": planned_at}
    if outcome == refresh.Outcome.THROTTLED and attempt < settings.CAMS_REFRESH_MAX_RETRIES:
        raise self.retry(args=[application_id, attempt + 1], kwargs=retry_kwargs, countdown=retry_countdown(attempt))
    if outcome == refresh.Outcome.BUSY and attempt < settings.CAMS_REFRESH_MAX_RETRIES:
        # The holder may be a worker that died mid-task: look again once its claim has expired.
        countdown = min(settings.CELERY_TASK_TIME_LIMIT + 1, settings.CAMS_REFRESH_RETRY_MAX_SECONDS)
        raise self.retry(args=[application_id, attempt + 1], kwargs=retry_kwargs, countdown=countdown)
    return str(outcome)


@shared_task(acks_late=True, ignore_result=True)
def bulk_lookup_chunk(bulk_id: int, item_ids: list[int]):
    """A few numbers of a bulk lookup; see services/bulk_lookup.py."""
    from .services.bulk_lookup import bulk_lookup_run_chunk

    return bulk_lookup_run_chunk(bulk_id=bulk_id, item_ids=item_ids)
