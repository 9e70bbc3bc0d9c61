"""Background refresh: plan due applications, refresh one, and report the system's health.

The planner leases due rows by pushing ``next_refresh_at`` forward, so a record whose refresh
is lost (worker killed, message dropped) comes due again when the lease ends: nothing is lost,
and two planners never hand out the same row. A short per-record claim keeps two workers off
one record; the store's hash check keeps a redelivered task from writing a second snapshot.
"""

import enum
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone

from .. import tasks
from ..cams import errors
from ..coordination import coordinator
from ..models import ViberApplication
from ..selectors.compiled import CompiledInBulk
from ..selectors.health import PLANNER_LAST_RUN_KEY
from .store import application_record_failure, application_store, application_store_if_unchanged
from .upstream import cams_fetch_rate_limited


class Outcome(enum.StrEnum):
    CHANGED = "changed"
    UNCHANGED = "unchanged"
    THROTTLED = "throttled"
    FAILED = "failed"
    BUSY = "busy"  # another worker holds this record right now
    DONE_ALREADY = "done-already"  # fetched since this refresh was planned (a redelivered task)
    MISSING = "missing"


def refresh_plan_due(*, now=None, batch=None) -> list[int]:
    """Lease up to ``batch`` due applications and return their ids (DB write, no network).

    On PostgreSQL ``SKIP LOCKED`` lets concurrent planners take disjoint rows; SQLite
    serialises write transactions anyway (transaction_mode=IMMEDIATE).
    """
    now = now or timezone.now()
    batch = batch or settings.CAMS_REFRESH_BATCH
    lease_until = now + timedelta(seconds=settings.CAMS_REFRESH_LEASE_SECONDS)
    due = ViberApplication.objects.filter(next_refresh_at__lte=now).order_by("next_refresh_at")
    with transaction.atomic():
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True)
        ids = list(due.values_list("id", flat=True)[:batch])
        ViberApplication.objects.filter(id__in=ids).update(next_refresh_at=lease_until)
    cache.set(PLANNER_LAST_RUN_KEY, now.isoformat(), None)
    return ids


# The state and audit result tell when an unchanged record is due next (application_store_if_unchanged).
_REFRESH_FIELDS = ("id", "request_no", "cust_space_id", "fetched_at", "content_hash", "state", "audit_result")
_NOT_READ = object()


# Only what the decision needs: the stored document and raw answer are large and unused here.
_rows = CompiledInBulk(lambda: ViberApplication.objects.only(*_REFRESH_FIELDS))


def refresh_rows(*, application_ids) -> dict:
    """What ``application_refresh`` needs of each record, for a batch in one query (id -> row)."""
    return _rows.in_bulk(application_ids)


def application_refresh(
    *, application_id: int, planned_at=None, max_wait: float | None = None, row=_NOT_READ
) -> Outcome:
    """Fetch one stored application from CAMS and store what changed (network + DB write).

    ``planned_at`` makes a redelivered or retried task idempotent: a record fetched since then
    (by a lookup, or by the first delivery) is not fetched again. ``row`` is the record as
    ``refresh_rows`` read it for a batch (None: it is gone); otherwise it is read here.
    """
    backend = coordinator()
    claim = f"refresh:{application_id}"
    # The claim outlives no task: the hard time limit kills a task before its claim expires.
    if not backend.try_lock(claim, ttl=settings.CELERY_TASK_TIME_LIMIT):
        return Outcome.BUSY
    try:
        app = refresh_rows(application_ids=[application_id]).get(application_id) if row is _NOT_READ else row
        if app is None:
            return Outcome.MISSING
        if planned_at is not None and app.fetched_at and app.fetched_at >= planned_at:
            return Outcome.DONE_ALREADY
        try:
            fetched = cams_fetch_rate_limited(
                request_no=app.request_no, cust_space_id=app.cust_space_id, max_wait=max_wait
            )
        except errors.CamsError as error:
            application_record_failure(application=app, error=error)
            return Outcome.THROTTLED if isinstance(error, errors.Throttled) else Outcome.FAILED
        if application_store_if_unchanged(fetched=fetched, application=app):
            return Outcome.UNCHANGED
        previous_hash = app.content_hash
        stored = application_store(fetched=fetched, request_no=app.request_no, cust_space_id=app.cust_space_id)
        return Outcome.CHANGED if stored.content_hash != previous_hash else Outcome.UNCHANGED
    finally:
        backend.unlock(claim)


def application_mark_due(*, application_ids) -> int:
    """Make applications due now (the planner's next run refreshes them). DB write only."""
    return ViberApplication.objects.filter(id__in=list(application_ids)).update(next_refresh_at=timezone.now())


def applications_refresh_enqueue(*, application_ids, planned_at=None) -> int:
    """Queue a background refresh for each application, once the current transaction commits.

    A task refreshes up to CAMS_REFRESH_TASK_SIZE records one after the other; a record that
    needs a retry (throttled, busy) gets a task of its own with a backoff.
    The one place refresh tasks are sent from (the planner, the admin action, the health page).
    ``planned_at`` (the planner's) lets a redelivered task see it has nothing left to do.
    Side effects: Celery messages (through the shared rate limiter when they run).
    """
    ids = [int(pk) for pk in application_ids]
    # A refresh still queued when its lease ends is obsolete (the planner re-plans the record):
    # expiring it keeps a beat that ran while workers were down from piling up a backlog.
    expires = settings.CAMS_REFRESH_LEASE_SECONDS
    kwargs = {"planned_at": planned_at.isoformat()} if planned_at else {}

    size = settings.CAMS_REFRESH_TASK_SIZE

    def enqueue():
        for start in range(0, len(ids), size):
            tasks.application_refresh_batch.apply_async(
                args=[ids[start : start + size]], kwargs=kwargs, expires=expires
            )

    transaction.on_commit(enqueue)
    return len(ids)
