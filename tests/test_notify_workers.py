"""Notification delivery on real Celery worker processes (Redis broker, PostgreSQL), including a
worker SIGKILLed in the middle of refreshes, fan-out and deliveries."""

import time

import pytest
from django.utils import timezone
from standardwebhooks.webhooks import Webhook

from applications.benchmarks.seeding import store_from_dataset
from applications.benchmarks.webhook_receiver import Reply
from applications.benchmarks.worker_processes import celery_worker
from applications.models import (
    ApplicationEvent,
    Channel,
    Delivery,
    DeliveryAttempt,
    DeliveryStatus,
    NotificationRule,
    ViberApplication,
)
from applications.notifications import signing
from applications.sandbox.dataset import build_dataset
from applications.services.planner import refresh_plan_and_enqueue
from applications.tasks import notification_sweep
from tests.factories import make_application

pytestmark = pytest.mark.django_db(transaction=True)
QUEUES = "celery,notifications,notifications-slow"


@pytest.fixture
def worker_env(worker_env, notify_settings):
    """The shared worker environment, with delivery allowed to loopback receivers and short timeouts."""
    return {
        **worker_env,
        "CAMS_MAX_QPS": 50,
        "NOTIFY_ALLOW_PRIVATE_TARGETS": "true",
        "NOTIFY_CONNECT_TIMEOUT_SECONDS": 1,
        "NOTIFY_READ_TIMEOUT_SECONDS": 2,
        "EMAIL_TIMEOUT": 1,
        "NOTIFY_RETRY_BASE_SECONDS": 0.2,
        "NOTIFY_RETRY_MAX_SECONDS": 2,
    }


def _channel(name, url):
    secret = signing.new_secret()
    channel = Channel.objects.create(name=name, kind="webhook", target=url, secret=secret)
    for field in ("state", "audit_result"):
        NotificationRule.objects.create(name=f"{name} {field}", field=field, values=[], channel=channel)
    return channel, secret


def test_a_worker_on_the_notifications_queue_delivers_a_committed_change(worker_env, receiver_factory):
    receiver = receiver_factory()
    _, secret = _channel("hook", receiver.url)
    make_application(RequestNo="7001", AuditResult="auditing")
    with celery_worker(worker_env, name="notify", queues="notifications,notifications-slow", concurrency=2):
        make_application(RequestNo="7001", AuditResult="reject")  # commits; delivery enqueued on commit
        [request] = receiver.wait_for(1, timeout=30)
    payload = Webhook(secret).verify(request.body, request.headers)
    assert payload["data"]["request_no"] == "7001" and payload["data"]["new_value"] == "reject"
    assert Delivery.objects.get().status == DeliveryStatus.DELIVERED


def _wait_all_delivered(timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not Delivery.objects.exclude(status=DeliveryStatus.DELIVERED).exists():
            return True
        notification_sweep.delay()  # what beat does every NOTIFY_SWEEP_INTERVAL_SECONDS
        time.sleep(1)
    return False


def test_a_worker_killed_mid_fan_out_loses_no_delivery_and_sends_no_attempt_twice(
    live_cams, worker_env, receiver_factory
):
    fast = receiver_factory(lambda i, h, b: Reply(delay=0.1))
    slow = receiver_factory(lambda i, h, b: Reply(delay=0.4))
    _channel("fast", fast.url)
    _channel("slow", slow.url)
    dataset = build_dataset()
    numbers = [n for n in dataset.request_numbers() if not dataset.get(n)[1]][:40]
    store_from_dataset(dataset, numbers)
    for number in numbers:
        live_cams.advance(number)
    ViberApplication.objects.update(next_refresh_at=timezone.now())
    live_cams.set_faults(latency_ms=150)
    env = {
        **worker_env,
        "CELERY_VISIBILITY_TIMEOUT": 5,
        "CAMS_REFRESH_RETRY_MAX_SECONDS": 4,
        "CELERY_TASK_TIME_LIMIT": 3,
        "CELERY_TASK_SOFT_TIME_LIMIT": 2,
    }
    started = timezone.now()
    with celery_worker(env, name="doomed", queues=QUEUES, concurrency=6) as doomed:
        assert refresh_plan_and_enqueue() == len(numbers)
        deadline = time.monotonic() + 60
        while fast.count() + slow.count() < 3:
            assert time.monotonic() < deadline, doomed.log()[-2000:]
            time.sleep(0.05)
        doomed.kill_hard()
    events_at_kill = ApplicationEvent.objects.count()
    refreshed_at_kill = ViberApplication.objects.filter(fetched_at__gte=started).count()
    delivered_at_kill = Delivery.objects.filter(status=DeliveryStatus.DELIVERED).count()
    with celery_worker(env, name="survivor", queues=QUEUES, concurrency=6):
        deadline = time.monotonic() + 90
        while ViberApplication.objects.filter(fetched_at__lt=started).exists():
            assert time.monotonic() < deadline, "refreshes did not all complete"
            time.sleep(0.5)
        assert _wait_all_delivered(timeout=90), list(
            Delivery.objects.exclude(status="delivered").values("id", "status", "attempts", "last_error")
        )
    events = ApplicationEvent.objects.count()
    assert events > 0 and delivered_at_kill < Delivery.objects.count(), "nothing was left to deliver"
    assert refreshed_at_kill < len(numbers), "the refreshes (and their fan-out) finished before the kill"
    assert events_at_kill <= events
    # The outbox is complete: one row per event and channel, none twice.
    pairs = list(Delivery.objects.values_list("event_id", "channel_id"))
    assert len(pairs) == len(set(pairs)) == events * 2
    # Every delivery reached its receiver; no attempt id arrived twice, and every one was logged.
    received = fast.snapshot() + slow.snapshot()
    attempt_ids = [r.headers["x-viber-review-attempt"] for r in received]
    assert len(attempt_ids) == len(set(attempt_ids))
    assert {r.headers["webhook-id"] for r in received} == set(Delivery.objects.values_list("message_id", flat=True))
    logged = {str(a) for a in DeliveryAttempt.objects.values_list("attempt_id", flat=True)}
    assert set(attempt_ids) <= logged
