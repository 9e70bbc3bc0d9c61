"""Celery tasks: thin wrappers that take ids and call services (see services/refresh.py)."""
import logging
import random
from datetime import datetime

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from .coordination import coordinator
from .services import refresh

logger = logging.getLogger(__name__)


def retry_countdown(attempt: int) -> float:
    """Exponential backoff with full jitter, capped below the broker's visibility timeout."""
    ceiling = min(settings.CAMS_REFRESH_RETRY_MAX_SECONDS, settings.CAMS_REFRESH_RETRY_BASE_SECONDS * 2 ** attempt)
    return random.uniform(ceiling / 2, ceiling)


def plan_and_enqueue(*, batch=None) -> int:
    """Lease due records and enqueue one refresh task each; returns how many were planned."""
    backend = coordinator()
    # Two beats (or a slow run overlapping the next) must not both plan: one holder at a time.
    if not backend.try_lock("refresh-planner", ttl=55):
        return 0
    try:
        ids = refresh.refresh_plan_due(batch=batch)
    finally:
        backend.unlock("refresh-planner")
    # A refresh still queued when its lease ends is obsolete (the planner re-plans the record):
    # expiring it keeps a beat that ran while workers were down from piling up a backlog.
    expires = settings.CAMS_REFRESH_LEASE_SECONDS
    planned_at = timezone.now().isoformat()
    for application_id in ids:
        application_refresh.apply_async(args=[application_id], kwargs={"planned_at": planned_at}, expires=expires)
    logger.info("planned %d refreshes", len(ids))
    return len(ids)


@shared_task(acks_late=True, ignore_result=True)
def refresh_plan_due():
    """Beat's entry point (see CELERY_BEAT_SCHEDULE)."""
    return plan_and_enqueue()


@shared_task(bind=True, acks_late=True, ignore_result=True, max_retries=None)
def application_refresh(self, application_id: int, attempt: int = 0, planned_at: str | None = None):
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
    """A few numbers of a bulk lookup (issue #4); see services/bulk_lookup.py."""
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
