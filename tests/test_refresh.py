"""Refresh planning, one-record refresh, schedule by urgency and change events (no worker here)."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from applications.benchmarks.seeding import store_from_dataset
from applications.coordination import coordinator
from applications.models import ApplicationEvent, ViberApplication
from applications.sandbox.dataset import EXAMPLE_REQUEST_NO, MOVING_REQUEST_NO, build_dataset
from applications.services.planner import refresh_plan_and_enqueue
from applications.services.refresh import Outcome, application_refresh, refresh_plan_due
from applications.tasks import retry_countdown
from tests.factories import make_application

pytestmark = pytest.mark.django_db


def _store(*numbers):
    return store_from_dataset(build_dataset(), numbers)


def _make_due(*apps):
    ViberApplication.objects.filter(pk__in=[app.pk for app in apps]).update(
        next_refresh_at=timezone.now() - timedelta(seconds=1)
    )


def test_the_planner_leases_only_due_records_and_pushes_them_forward(settings):
    settings.CAMS_REFRESH_LEASE_SECONDS = 600
    due = make_application()
    other = make_application(RequestNo="1111111111")
    _make_due(due)
    ViberApplication.objects.filter(pk=other.pk).update(next_refresh_at=timezone.now() + timedelta(hours=1))
    assert refresh_plan_due() == [due.pk]
    due.refresh_from_db()
    assert due.next_refresh_at > timezone.now() + timedelta(seconds=590)
    assert refresh_plan_due() == []  # leased: not planned twice


def test_the_planner_takes_the_most_overdue_first_in_batches():
    apps = [make_application(RequestNo=f"20000000{i:02d}") for i in range(5)]
    now = timezone.now()
    for age, app in enumerate(apps):
        ViberApplication.objects.filter(pk=app.pk).update(next_refresh_at=now - timedelta(minutes=age))
    assert refresh_plan_due(batch=2) == [apps[4].pk, apps[3].pk]


@pytest.mark.django_db(transaction=True)
def test_concurrent_planners_hand_out_disjoint_records(require):
    # The in-memory SQLite test database cannot take concurrent writers; CI runs this on PostgreSQL.
    require(connection.vendor == "postgresql", "concurrent planners need PostgreSQL")
    apps = [make_application(RequestNo=f"30000000{i:02d}") for i in range(40)]
    _make_due(*apps)
    barrier, results = threading.Barrier(2), []

    def plan():
        barrier.wait()
        try:
            results.append(refresh_plan_due(batch=25))
        finally:
            connection.close()

    threads = [threading.Thread(target=plan) for _ in range(2)]
    [thread.start() for thread in threads]
    [thread.join(30) for thread in threads]
    first, second = results
    assert not set(first) & set(second)
    assert set(first) | set(second) == {app.pk for app in apps}


def test_a_second_planner_does_nothing_while_one_holds_the_planner_claim():
    _make_due(make_application())
    assert coordinator().try_lock("refresh-planner", ttl=30)
    try:
        assert refresh_plan_and_enqueue() == 0
    finally:
        coordinator().unlock("refresh-planner")
    assert ViberApplication.objects.get().next_refresh_at < timezone.now()  # still due, not leased


def test_a_refresh_that_finds_a_change_records_events_and_one_snapshot(live_cams):
    (app,) = _store(MOVING_REQUEST_NO)
    assert (app.state, app.audit_result) == ("I", "unAudit")
    live_cams.advance(MOVING_REQUEST_NO)
    before = timezone.now()
    assert application_refresh(application_id=app.pk) == Outcome.CHANGED
    event = ApplicationEvent.objects.get(application=app)
    assert (event.field, event.old_value, event.new_value) == ("audit_result", "unAudit", "auditing")
    assert event.seen_at >= before
    assert app.snapshots.count() == 2
    assert application_refresh(application_id=app.pk) == Outcome.UNCHANGED
    assert app.snapshots.count() == 2 and app.events.count() == 1


def test_a_final_change_records_both_state_and_audit_result(live_cams):
    (app,) = _store(MOVING_REQUEST_NO)
    live_cams.advance(MOVING_REQUEST_NO, steps=5)
    application_refresh(application_id=app.pk)
    app.refresh_from_db()
    fields = {event.field: (event.old_value, event.new_value) for event in app.events.all()}
    assert fields["audit_result"][0] == "unAudit" and fields["audit_result"][1] in {"pass", "reject"}
    assert fields["state"][0] == "I" and app.state == fields["state"][1]


def test_moving_records_are_refreshed_often_and_final_ones_rarely(live_cams, settings):
    settings.CAMS_REFRESH_MOVING_SECONDS, settings.CAMS_REFRESH_FINAL_SECONDS = 600, 86400
    settings.CAMS_REFRESH_JITTER = 0.1
    moving, final = _store(MOVING_REQUEST_NO, EXAMPLE_REQUEST_NO)
    assert not moving.is_final and final.is_final
    now = timezone.now()
    assert timedelta(seconds=530) < moving.next_refresh_at - now < timedelta(seconds=670)
    assert timedelta(hours=21) < final.next_refresh_at - now < timedelta(hours=27)
    # Once it settles upstream, the next refresh moves out to the final interval.
    live_cams.advance(MOVING_REQUEST_NO, steps=5)
    application_refresh(application_id=moving.pk)
    moving.refresh_from_db()
    assert moving.is_final
    assert moving.next_refresh_at - timezone.now() > timedelta(hours=21)


def test_a_failing_refresh_keeps_the_data_and_waits_for_its_schedule(live_cams, settings):
    settings.CAMS_REFRESH_FAILURE_SECONDS = 900
    (app,) = _store(MOVING_REQUEST_NO)
    live_cams.set_faults(error_rate=1.0)
    assert application_refresh(application_id=app.pk) == Outcome.FAILED
    app.refresh_from_db()
    assert app.audit_result == "unAudit" and app.snapshots.count() == 1
    assert app.last_error_kind == "unavailable" and app.last_error_request_id
    assert timedelta(seconds=800) < app.next_refresh_at - timezone.now() < timedelta(seconds=1000)


def test_a_throttled_refresh_reports_throttled(live_cams):
    (app,) = _store(EXAMPLE_REQUEST_NO)
    live_cams.set_faults(throttle_rate=1.0)
    assert application_refresh(application_id=app.pk) == Outcome.THROTTLED
    app.refresh_from_db()
    assert app.last_error_kind == "throttled" and app.company_legal_name == "xxxxxxcompany"


def test_a_record_claimed_by_another_worker_is_skipped(live_cams):
    (app,) = _store(EXAMPLE_REQUEST_NO)
    assert coordinator().try_lock(f"refresh:{app.pk}", ttl=30)
    try:
        assert application_refresh(application_id=app.pk) == Outcome.BUSY
    finally:
        coordinator().unlock(f"refresh:{app.pk}")
    assert live_cams.stats()["calls"] == 0


def test_retry_backoff_grows_exponentially_and_stays_below_the_visibility_timeout(settings):
    settings.CAMS_REFRESH_RETRY_BASE_SECONDS, settings.CAMS_REFRESH_RETRY_MAX_SECONDS = 2, 300
    assert 1 <= retry_countdown(0) <= 2
    assert 8 <= retry_countdown(3) <= 16
    assert all(retry_countdown(attempt) <= 300 < settings.CELERY_VISIBILITY_TIMEOUT for attempt in range(30))
