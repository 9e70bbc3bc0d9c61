"""Deliver outbox rows: claim, send outside any transaction, record the attempt, schedule a retry.

A claim is a conditional UPDATE (due and not leased by a live attempt) with a row-count check, so
two workers never send the same attempt, and a worker killed mid-send only leaves a lease that
expires: the sweeper then hands the row out again under a new attempt id (same ``webhook-id``).
At most ``NOTIFY_CHANNEL_MAX_IN_FLIGHT`` deliveries per channel are in flight, so one slow endpoint
cannot occupy every worker thread; a row refused a slot waits, and the next delivery of its
channel to finish hands the slot over (one task per freed slot, no polling).
"""

import enum
import random
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.translation import gettext

from ...models import Channel, Delivery, DeliveryAttempt, DeliveryStatus, Notification
from . import transports
from .fanout import enqueue_on_commit
from .language import recipient_language
from .viewer_cache import forget_unread_counts

SWEEP_LIMIT = 1000
# A pending row younger than this still has its own task in the queue: the sweeper leaves it alone.
SWEEP_GRACE_SECONDS = 10


class Outcome(enum.StrEnum):
    DELIVERED = "delivered"
    RETRY = "retry"
    FAILED = "failed"
    BUSY = "busy"  # the channel has its maximum in flight; a finishing delivery picks this one up
    NOT_DUE = "not-due"  # done already, leased by a live attempt, or its retry time has not come
    MISSING = "missing"


def lease_seconds() -> float:
    sending = max(
        settings.NOTIFY_CONNECT_TIMEOUT_SECONDS + settings.NOTIFY_READ_TIMEOUT_SECONDS,
        settings.NOTIFY_EMAIL_TIMEOUT_SECONDS,
    )
    return sending + 5


def _due_q(now) -> Q:
    return Q(status=DeliveryStatus.PENDING, next_attempt_at__lte=now) | Q(
        status=DeliveryStatus.DELIVERING, locked_until__lt=now
    )


def retry_delay(attempts: int, retry_after: float | None) -> float:
    """Exponential backoff with jitter; a Retry-After from the receiver wins (capped)."""
    if retry_after is not None:
        return min(settings.NOTIFY_RETRY_MAX_SECONDS, retry_after)
    ceiling = min(settings.NOTIFY_RETRY_MAX_SECONDS, settings.NOTIFY_RETRY_BASE_SECONDS * 2 ** max(0, attempts - 1))
    return random.uniform(ceiling / 2, ceiling)


def _in_flight(channel_id, now) -> int:
    return Delivery.objects.filter(
        channel_id=channel_id, status=DeliveryStatus.DELIVERING, locked_until__gte=now
    ).count()


def _in_flight_subquery(now):
    return Coalesce(
        Subquery(
            Delivery.objects.filter(
                channel_id=OuterRef("channel_id"), status=DeliveryStatus.DELIVERING, locked_until__gte=now
            )
            .order_by()
            .values("channel_id")
            .annotate(n=Count("id"))
            .values("n")
        ),
        0,
    )


def _claim(delivery_id: int, now) -> tuple[Outcome | None, Delivery | None, str]:
    """One conditional UPDATE: due, not leased by a live attempt, and a free slot on its channel.

    Without a lock on the channel, two claims racing for its last slot may both win: the limit is
    approximate by one or two, which is all it needs to be (it keeps a slow endpoint from taking
    every thread), and no claim ever waits on another.
    """
    delivery = (
        Delivery.objects.select_related("channel", "recipient", "recipient__preferences").filter(pk=delivery_id).first()
    )
    if delivery is None:
        return Outcome.MISSING, None, ""
    channel = delivery.channel
    due = Delivery.objects.filter(_due_q(now), pk=delivery_id)
    if channel is not None and not channel.enabled:
        failed = due.update(status=DeliveryStatus.FAILED, locked_until=None, last_error="channel disabled")
        return (Outcome.FAILED if failed else Outcome.NOT_DUE), delivery, ""
    claimable = due
    if channel is not None:
        claimable = due.alias(in_flight=_in_flight_subquery(now)).filter(
            in_flight__lt=settings.NOTIFY_CHANNEL_MAX_IN_FLIGHT
        )
    attempt_id = uuid.uuid4()
    with transaction.atomic():
        claimed = claimable.update(
            status=DeliveryStatus.DELIVERING,
            locked_until=now + timedelta(seconds=lease_seconds()),
            attempts=F("attempts") + 1,
            current_attempt=attempt_id,
            waiting_for_slot=False,
        )
        if claimed:
            delivery.attempts += 1
            DeliveryAttempt.objects.create(
                delivery=delivery, attempt_id=attempt_id, number=delivery.attempts, started_at=now
            )
    if claimed:
        return None, delivery, str(attempt_id)
    if channel is not None and due.update(waiting_for_slot=True):
        return Outcome.BUSY, delivery, ""
    return Outcome.NOT_DUE, delivery, ""


def _note_channel_failure(channel: Channel, now) -> None:
    """Start the failing clock, and disable a channel that has failed for too long (telling its owner)."""
    Channel.objects.filter(pk=channel.pk, failing_since__isnull=True).update(failing_since=now)
    channel.refresh_from_db(fields=["failing_since", "enabled"])
    limit = timedelta(seconds=settings.NOTIFY_DISABLE_AFTER_SECONDS)
    if channel.enabled and channel.failing_since and now - channel.failing_since >= limit:
        since = f"{channel.failing_since:%Y-%m-%d %H:%M:%S %Z}"
        reason = gettext("disabled after failing since %(since)s") % {"since": since}
        if Channel.objects.filter(pk=channel.pk, enabled=True).update(enabled=False, disabled_reason=reason):
            if channel.owner_id:
                from django.urls import reverse

                # The owner's inbox speaks the owner's language (stored as text, so chosen now).
                with translation.override(recipient_language(channel.owner)):
                    title = gettext("Channel “%(name)s” was disabled: it kept failing") % {"name": channel.name}
                    body = gettext("disabled after failing since %(since)s") % {"since": since}
                Notification.objects.create(
                    user_id=channel.owner_id,
                    title=title[:300],
                    body=body,
                    url=reverse("applications:notification-channel", args=[channel.pk]),
                    created_at=now,
                )
                forget_unread_counts([channel.owner_id])


def _record(delivery: Delivery, attempt_id: str, result: transports.Result, *, retry: bool) -> Outcome:
    now = timezone.now()
    with transaction.atomic():
        DeliveryAttempt.objects.filter(attempt_id=attempt_id).update(
            finished_at=now,
            status_code=result.status_code,
            latency_ms=result.latency_ms,
            response_excerpt=result.excerpt,
            error=result.error[:500],
            ok=result.ok,
        )
        mine = Delivery.objects.filter(pk=delivery.pk, current_attempt=attempt_id)
        common = {"locked_until": None, "last_status_code": result.status_code, "last_error": result.error[:500]}
        if result.ok:
            outcome = Outcome.DELIVERED
            mine.update(status=DeliveryStatus.DELIVERED, delivered_at=now, **common)
        elif retry and result.retryable and delivery.attempts < settings.NOTIFY_MAX_ATTEMPTS:
            outcome = Outcome.RETRY
            next_at = now + timedelta(seconds=retry_delay(delivery.attempts, result.retry_after))
            mine.update(status=DeliveryStatus.PENDING, next_attempt_at=next_at, **common)
        else:
            outcome = Outcome.FAILED
            mine.update(status=DeliveryStatus.FAILED, **common)
        if delivery.channel is not None:
            if result.ok:
                Channel.objects.filter(pk=delivery.channel.pk, failing_since__isnull=False).update(failing_since=None)
            else:
                _note_channel_failure(delivery.channel, now)
            if result.latency_ms is not None and result.latency_ms >= settings.NOTIFY_SLOW_SECONDS * 1000:
                Channel.objects.filter(pk=delivery.channel.pk).update(
                    slow_until=now + timedelta(seconds=settings.NOTIFY_SLOW_HOLD_SECONDS)
                )
            _hand_over_slot(delivery.channel.pk, now)
    return outcome


def _hand_over_slot(channel_id: int, now) -> None:
    """Give the slot just freed to the channel's oldest row that was refused one (enqueued on commit).

    ``SKIP LOCKED`` (PostgreSQL) lets two deliveries finishing together pick different rows; a row
    whose hand-over is missed still has the sweeper.
    """
    waiting = Delivery.objects.filter(_due_q(now), channel_id=channel_id, waiting_for_slot=True).order_by(
        "next_attempt_at", "id"
    )
    if connection.features.has_select_for_update_skip_locked:
        waiting = waiting.select_for_update(skip_locked=True)
    waiting_id = waiting.values_list("id", flat=True).first()
    if waiting_id and Delivery.objects.filter(pk=waiting_id, waiting_for_slot=True).update(waiting_for_slot=False):
        enqueue_on_commit([waiting_id], slow=True)  # a channel at its limit is a slow one


def delivery_deliver(*, delivery_id: int, retry: bool = True) -> Outcome:
    """Attempt one outbox row (DB writes, then a network call outside any transaction, then DB writes).

    With ``retry`` False (a "Send test") a failure is final at once.
    """
    outcome, delivery, attempt_id = _claim(delivery_id, timezone.now())
    if outcome is not None:
        return outcome
    result = transports.send(delivery, attempt_id=attempt_id)
    return _record(delivery, attempt_id, result, retry=retry)


def _overdue_q(now) -> Q:
    """Due rows whose own task should have run by now: lost enqueues, retries, killed workers."""
    grace = now - timedelta(seconds=SWEEP_GRACE_SECONDS)
    return Q(status=DeliveryStatus.PENDING, next_attempt_at__lte=grace) | Q(
        status=DeliveryStatus.DELIVERING, locked_until__lt=now
    )


def delivery_sweep(*, now=None) -> list[int]:
    """Overdue deliveries to (re-)enqueue: retries whose time has come, enqueues lost after commit,
    and leases of killed workers. Per channel only as many as it has free slots, so a backlog for
    a slow endpoint is not re-queued in full on every sweep. Reads only; the caller enqueues.
    """
    now = now or timezone.now()
    due = Delivery.objects.filter(_overdue_q(now))
    ids = list(due.filter(channel__isnull=True).order_by("next_attempt_at").values_list("id", flat=True)[:SWEEP_LIMIT])
    for channel_id in due.filter(channel__isnull=False).values_list("channel_id", flat=True).distinct():
        free = settings.NOTIFY_CHANNEL_MAX_IN_FLIGHT - _in_flight(channel_id, now)
        if free > 0:
            ids += list(
                due.filter(channel_id=channel_id).order_by("next_attempt_at", "id").values_list("id", flat=True)[:free]
            )
    return ids
