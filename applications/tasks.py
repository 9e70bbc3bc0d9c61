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
from django.utils import timezone

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


@shared_task(acks_late=True, ignore_result=True)
def notification_deliver(delivery_id: int):
    """One outbox row (routed to the notifications queue); see services/notifications/delivery.py."""
    from .services.notifications.delivery import Outcome, delivery_deliver

    outcome = delivery_deliver(delivery_id=delivery_id)
    if outcome == Outcome.RETRY:
        _schedule_retry(delivery_id)
    return str(outcome)


def _schedule_retry(delivery_id: int):
    from .models import Delivery

    next_at = Delivery.objects.filter(pk=delivery_id).values_list("next_attempt_at", flat=True).first()
    if next_at:
        # Long waits are left to the sweeper: a countdown near the visibility timeout would run twice.
        countdown = max(0.0, (next_at - timezone.now()).total_seconds())
        if countdown < settings.CELERY_VISIBILITY_TIMEOUT / 2:
            notification_deliver.apply_async(args=[delivery_id], countdown=countdown, queue=settings.NOTIFY_SLOW_QUEUE)


@shared_task(acks_late=True, ignore_result=True)
def notification_sweep():
    """Beat: re-queue due retries and deliveries whose worker died (expired lease)."""
    from .services.notifications.delivery import delivery_sweep

    ids = delivery_sweep()
    for delivery_id in ids:
        notification_deliver.apply_async(args=[delivery_id], queue=settings.NOTIFY_SLOW_QUEUE)
    return len(ids)


@shared_task(acks_late=True, ignore_result=True)
def notification_sla_digest():
    """Beat: the SLA digest to digest rules' channels (nothing when nothing is late)."""
    from .services.notifications.digest import notification_sla_digest as digest

    return len(digest())
