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
    # One read for the batch, before each record's claim: a record that a lookup refreshes in
    # between is fetched once more (the store's hash check keeps that harmless), never lost.
    rows = refresh.refresh_rows(application_ids=application_ids)
    for index, application_id in enumerate(application_ids):
        if time.monotonic() > budget:
            application_refresh_batch.delay(application_ids[index:], planned_at=planned_at)
            return
        outcome = refresh.application_refresh(
            application_id=application_id, planned_at=planned, row=rows.get(application_id)
        )
        if (countdown := _retry_countdown(outcome, 0)) is not None:
            application_refresh.apply_async(
                args=[application_id, 1], kwargs={"planned_at": planned_at}, countdown=countdown
            )


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
