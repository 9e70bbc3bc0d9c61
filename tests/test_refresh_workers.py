"""Refresh through real Celery worker processes on the Redis broker and PostgreSQL.

Concurrency is the point here, so nothing runs eagerly: the planner enqueues to Redis and
separate worker processes (threads pool) call the simulator through the shared limiter.
"""

import time

import pytest
from django.utils import timezone

from applications.benchmarks.seeding import store_from_dataset
from applications.benchmarks.worker_processes import celery_worker
from applications.models import ApplicationEvent, ApplicationSnapshot, ViberApplication
from applications.sandbox.dataset import build_dataset
from applications.services.planner import refresh_plan_and_enqueue

pytestmark = pytest.mark.django_db(transaction=True)


def _seed_due(count, *, advance=None):
    dataset = build_dataset()
    numbers = [n for n in dataset.request_numbers() if not dataset.get(n)[1]][:count]
    apps = store_from_dataset(dataset, numbers)
    if advance:
        for number in numbers:
            advance(number)
    ViberApplication.objects.update(next_refresh_at=timezone.now())
    return apps


def _wait_until_refreshed(since, count, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done = ViberApplication.objects.filter(fetched_at__gte=since).count()
        if done >= count:
            return done
        time.sleep(0.2)
    return ViberApplication.objects.filter(fetched_at__gte=since).count()


def test_throttled_refreshes_back_off_and_all_complete(live_cams, worker_env):
    # The gateway allows 4 calls/s but we were told 20: many calls are throttled and retried.
    apps = _seed_due(24)
    live_cams.set_faults(max_qps=4)
    env = {
        **worker_env,
        "CAMS_MAX_QPS": 20,
        "CAMS_REFRESH_RETRY_BASE_SECONDS": 0.5,
        "CAMS_REFRESH_RETRY_MAX_SECONDS": 4,
        "CAMS_REFRESH_MAX_RETRIES": 12,
    }
    started = timezone.now()
    with celery_worker(env, concurrency=6):
        assert refresh_plan_and_enqueue() == len(apps)
        assert _wait_until_refreshed(started, len(apps), timeout=90) == len(apps)
    stats = live_cams.stats()
    assert stats["throttled"] > 0
    assert stats["ok"] == len(apps)


def test_a_worker_killed_mid_batch_loses_no_record_and_duplicates_no_snapshot(live_cams, worker_env):
    apps = _seed_due(30, advance=live_cams.advance)
    initial_hash = {app.pk: app.content_hash for app in apps}
    live_cams.set_faults(latency_ms=300)
    # Messages a dead worker held come back after the visibility timeout; keep it short here.
    env = {
        **worker_env,
        "CAMS_MAX_QPS": 50,
        "CELERY_VISIBILITY_TIMEOUT": 5,
        "CAMS_REFRESH_RETRY_MAX_SECONDS": 4,
        "CELERY_TASK_TIME_LIMIT": 3,
        "CELERY_TASK_SOFT_TIME_LIMIT": 2,
    }
    started = timezone.now()
    with celery_worker(env, name="doomed", concurrency=4) as doomed:
        assert refresh_plan_and_enqueue() == len(apps)
        deadline = time.monotonic() + 30
        while ViberApplication.objects.filter(fetched_at__gte=started).count() < 5:
            assert time.monotonic() < deadline, doomed.log()[-2000:]
            time.sleep(0.05)
        doomed.kill_hard()
    halfway = ViberApplication.objects.filter(fetched_at__gte=started).count()
    assert halfway < len(apps), "the worker finished before it was killed; nothing was proven"
    with celery_worker(env, name="survivor", concurrency=4):
        assert _wait_until_refreshed(started, len(apps), timeout=90) == len(apps)
    changed = 0
    for app in ViberApplication.objects.all():
        content_changed = app.content_hash != initial_hash[app.pk]
        changed += content_changed
        snapshots = ApplicationSnapshot.objects.filter(application=app).count()
        assert snapshots == 1 + content_changed, app.request_no
        fields = list(ApplicationEvent.objects.filter(application=app).values_list("field", flat=True))
        assert len(fields) == len(set(fields)), f"duplicate events for {app.request_no}"
    assert changed > 0, "no record changed upstream; the snapshot check proved nothing"
