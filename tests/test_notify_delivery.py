"""The outbox and its delivery against real local receivers (loopback HTTP, a real SMTP server).

Delivery functions are called directly here (the logic); test_notify_workers.py runs them on real
Celery workers (the concurrency).
"""

import email
import socket
import time
from datetime import timedelta
from email import policy

import pytest
from aiosmtpd.controller import Controller
from django.db import transaction
from django.utils import timezone
from standardwebhooks.webhooks import Webhook

from applications.benchmarks.webhook_receiver import Reply, refusing_url
from applications.models import (
    ApplicationEvent,
    Channel,
    ChannelKind,
    Delivery,
    DeliveryAttempt,
    DeliveryStatus,
    Notification,
    NotificationPreference,
    NotificationRule,
    Watch,
)
from applications.services.notifications.delivery import Outcome, delivery_deliver, delivery_sweep
from applications.services.notifications.digest import notification_sla_digest
from applications.services.notifications.manage import (
    channel_create,
    channel_rotate_secret,
    channel_send_test,
    delivery_redeliver,
)
from tests.factories import make_application

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _loopback_receivers(notify_settings):
    return notify_settings


@pytest.fixture
def reviewer(make_user):
    return make_user("rita", "reviewers", email="rita@example.com")


def _webhook(reviewer, url, **rule):
    channel, secret = channel_create(user=reviewer, name="hook", kind=ChannelKind.WEBHOOK, target=url)
    NotificationRule.objects.create(
        name="rejections",
        field=rule.get("field", "audit_result"),
        values=rule.get("values", ["reject"]),
        channel=channel,
        owner=reviewer,
    )
    return channel, secret


def _reject(request_no="7001"):
    make_application(RequestNo=request_no, AuditResult="auditing")
    return make_application(RequestNo=request_no, AuditResult="reject")


def _deliver_until_settled(delivery_id, *, timeout=10):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        delivery = Delivery.objects.get(pk=delivery_id)
        if delivery.status in (DeliveryStatus.DELIVERED, DeliveryStatus.FAILED):
            return delivery
        if delivery.next_attempt_at <= timezone.now():
            delivery_deliver(delivery_id=delivery_id)
        else:
            time.sleep(0.02)
    raise AssertionError("delivery did not settle")


def test_a_matching_change_writes_the_outbox_and_the_last_fired_time(reviewer, receiver_factory):
    channel, _ = _webhook(reviewer, receiver_factory().url)
    make_application(RequestNo="7001", AuditResult="auditing")
    assert Delivery.objects.count() == 0
    make_application(RequestNo="7001", AuditResult="pass")  # the rule wants "reject": nothing
    assert Delivery.objects.count() == 0
    make_application(RequestNo="7001", AuditResult="reject")
    delivery = Delivery.objects.get()
    assert delivery.channel == channel and delivery.event.new_value == "reject"
    assert delivery.payload["data"]["request_no"] == "7001" and delivery.status == DeliveryStatus.PENDING
    assert NotificationRule.objects.get().last_fired_at == delivery.event.seen_at


def test_an_exception_after_the_event_rolls_back_event_and_outbox(reviewer, receiver_factory):
    _webhook(reviewer, receiver_factory().url)
    app = make_application(RequestNo="7001", AuditResult="auditing")
    Watch.objects.create(user=reviewer, application=app)
    with pytest.raises(RuntimeError), transaction.atomic():
        make_application(RequestNo="7001", AuditResult="reject")
        assert Delivery.objects.count() == 1 and Notification.objects.count() == 1  # written, not committed
        raise RuntimeError("something after the event failed")
    assert ApplicationEvent.objects.count() == 0
    assert Delivery.objects.count() == 0 and Notification.objects.count() == 0


def test_watchers_get_an_inbox_row_and_email_only_if_they_asked(reviewer, make_user, receiver_factory):
    viewer = make_user("vic", "viewers", email="vic@example.com")
    app = make_application(RequestNo="7001", AuditResult="auditing")
    Watch.objects.create(user=reviewer, application=app)
    Watch.objects.create(user=viewer, application=app)
    NotificationPreference.objects.create(user=viewer, email_watched=True)
    make_application(RequestNo="7001", AuditResult="reject")
    assert sorted(Notification.objects.values_list("user__username", flat=True)) == ["rita", "vic"]
    assert "7001" in Notification.objects.first().title
    assert list(Delivery.objects.values_list("recipient__username", flat=True)) == ["vic"]


def test_webhook_delivery_is_signed_for_the_reference_library(reviewer, receiver_factory):
    receiver = receiver_factory()
    channel, secret = _webhook(reviewer, receiver.url)
    _reject()
    delivery = Delivery.objects.get()
    assert delivery_deliver(delivery_id=delivery.pk) == Outcome.DELIVERED
    [request] = receiver.wait_for(1)
    payload = Webhook(secret).verify(request.body, request.headers)
    assert payload["type"] == "application.audit_result_changed" and payload["data"]["new_value"] == "reject"
    assert request.headers["webhook-id"] == delivery.message_id
    attempt = DeliveryAttempt.objects.get()
    assert attempt.ok and attempt.status_code == 200 and attempt.latency_ms is not None
    assert attempt.response_excerpt == '{"ok":true}'


def test_a_rotated_secret_keeps_the_old_one_valid_for_a_day(reviewer, receiver_factory):
    receiver = receiver_factory()
    channel, old = _webhook(reviewer, receiver.url)
    new = channel_rotate_secret(user=reviewer, channel=channel)
    delivery = channel_send_test(user=reviewer, channel=Channel.objects.get(pk=channel.pk))
    assert delivery.status == DeliveryStatus.DELIVERED
    [request] = receiver.wait_for(1)
    Webhook(old).verify(request.body, request.headers)
    Webhook(new).verify(request.body, request.headers)
    Channel.objects.filter(pk=channel.pk).update(previous_secret_expires_at=timezone.now() - timedelta(seconds=1))
    channel_send_test(user=reviewer, channel=Channel.objects.get(pk=channel.pk))
    second = receiver.wait_for(2)[1]
    assert len(second.headers["webhook-signature"].split(" ")) == 1
    Webhook(new).verify(second.body, second.headers)


def test_5xx_is_retried_until_it_succeeds_with_one_webhook_id(reviewer, receiver_factory):
    receiver = receiver_factory(lambda i, h, b: Reply(503) if i < 2 else Reply())
    _webhook(reviewer, receiver.url)
    _reject()
    delivery = _deliver_until_settled(Delivery.objects.get().pk)
    assert delivery.status == DeliveryStatus.DELIVERED and delivery.attempts == 3
    requests = receiver.snapshot()
    assert len({r.headers["webhook-id"] for r in requests}) == 1
    assert len({r.headers["x-viber-review-attempt"] for r in requests}) == 3
    assert [a.status_code for a in DeliveryAttempt.objects.order_by("number")] == [503, 503, 200]


def test_429_honours_retry_after(reviewer, receiver_factory):
    receiver = receiver_factory(lambda i, h, b: Reply(429, headers={"Retry-After": "1"}) if i == 0 else Reply())
    _webhook(reviewer, receiver.url)
    _reject()
    delivery = Delivery.objects.get()
    assert delivery_deliver(delivery_id=delivery.pk) == Outcome.RETRY
    delivery.refresh_from_db()
    wait = (delivery.next_attempt_at - timezone.now()).total_seconds()
    assert 0.7 < wait <= 1.0
    assert delivery_deliver(delivery_id=delivery.pk) == Outcome.NOT_DUE  # too early: not sent
    delivery = _deliver_until_settled(delivery.pk)
    first, second = receiver.snapshot()
    assert second.at - first.at >= 0.95 and delivery.status == DeliveryStatus.DELIVERED


def test_a_permanent_4xx_is_not_retried(reviewer, receiver_factory):
    receiver = receiver_factory(lambda i, h, b: Reply(410, body=b"gone"))
    _webhook(reviewer, receiver.url)
    _reject()
    delivery = Delivery.objects.get()
    assert delivery_deliver(delivery_id=delivery.pk) == Outcome.FAILED
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED and delivery.attempts == 1 and receiver.count() == 1
    assert "410" in delivery.last_error and DeliveryAttempt.objects.get().response_excerpt == "gone"
    assert delivery_sweep() == []


def test_network_errors_and_timeouts_retry_then_fail_after_max_attempts(reviewer, receiver_factory, settings):
    _webhook(reviewer, refusing_url())
    _reject()
    delivery = _deliver_until_settled(Delivery.objects.get().pk)
    assert delivery.status == DeliveryStatus.FAILED and delivery.attempts == settings.NOTIFY_MAX_ATTEMPTS
    assert "network error" in delivery.last_error
    slow = receiver_factory(lambda i, h, b: Reply(delay=1.5))
    channel = Channel.objects.get()
    Channel.objects.filter(pk=channel.pk).update(target=slow.url)
    test = channel_send_test(user=reviewer, channel=Channel.objects.get(pk=channel.pk))
    assert test.status == DeliveryStatus.FAILED and test.last_error.startswith("timeout")


def test_a_channel_failing_too_long_is_disabled_and_its_owner_told(reviewer, settings):
    settings.NOTIFY_DISABLE_AFTER_SECONDS = 1
    channel, _ = _webhook(reviewer, refusing_url())
    _reject("7001")
    first = Delivery.objects.get()
    delivery_deliver(delivery_id=first.pk)
    Channel.objects.filter(pk=channel.pk).update(failing_since=timezone.now() - timedelta(seconds=2))
    Delivery.objects.filter(pk=first.pk).update(next_attempt_at=timezone.now())
    delivery_deliver(delivery_id=first.pk)
    channel.refresh_from_db()
    assert not channel.enabled and "disabled after failing" in channel.disabled_reason
    note = Notification.objects.get(user=reviewer)
    assert "hook" in note.title and "disabled" in note.title
    _reject("7002")  # a disabled channel gets no new outbox rows
    assert Delivery.objects.count() == 1


def test_the_sweeper_finds_expired_leases_and_due_retries(reviewer, receiver_factory):
    receiver = receiver_factory()
    _webhook(reviewer, receiver.url)
    _reject()
    delivery = Delivery.objects.get()
    # As if a worker claimed it and was killed before answering.
    Delivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.DELIVERING, locked_until=timezone.now() + timedelta(seconds=30)
    )
    assert delivery_sweep() == []
    assert delivery_deliver(delivery_id=delivery.pk) == Outcome.NOT_DUE
    Delivery.objects.filter(pk=delivery.pk).update(locked_until=timezone.now() - timedelta(seconds=1))
    assert delivery_sweep() == [delivery.pk]
    assert delivery_deliver(delivery_id=delivery.pk) == Outcome.DELIVERED


def test_redeliver_sends_the_same_message_again(reviewer, receiver_factory):
    receiver = receiver_factory()
    _webhook(reviewer, receiver.url)
    _reject()
    delivery = Delivery.objects.get()
    delivery_deliver(delivery_id=delivery.pk)
    delivery_redeliver(user=reviewer, delivery=delivery)
    assert delivery_deliver(delivery_id=delivery.pk) == Outcome.DELIVERED
    first, second = receiver.wait_for(2)
    assert first.headers["webhook-id"] == second.headers["webhook-id"]
    assert first.headers["x-viber-review-attempt"] != second.headers["x-viber-review-attempt"]


def test_robots_are_posted_with_their_format(reviewer, receiver_factory):
    receiver = receiver_factory(lambda i, h, b: Reply(body=b'{"errcode":0,"errmsg":"ok"}'))
    channel, _ = channel_create(
        user=reviewer, name="ding", kind=ChannelKind.DINGTALK, target=receiver.url + "?access_token=t", secret="SECabc"
    )
    delivery = channel_send_test(user=reviewer, channel=channel)
    assert delivery.status == DeliveryStatus.DELIVERED
    [request] = receiver.wait_for(1)
    assert "access_token=t&timestamp=" in request.path and "&sign=" in request.path
    bad = receiver_factory(lambda i, h, b: Reply(body=b'{"code":19021,"msg":"sign match fail"}'))
    feishu, _ = channel_create(user=reviewer, name="lark", kind=ChannelKind.FEISHU, target=bad.url, secret="s")
    failed = channel_send_test(user=reviewer, channel=feishu)
    assert failed.status == DeliveryStatus.FAILED and "19021" in failed.last_error


def test_ssrf_is_refused_at_save_and_at_send(reviewer, settings):
    from django.core.exceptions import ValidationError

    settings.NOTIFY_ALLOW_PRIVATE_TARGETS = False
    with pytest.raises(ValidationError, match="loopback"):
        channel_create(user=reviewer, name="x", kind=ChannelKind.SLACK, target="https://localhost/hook")
    # Saved while allowed (or while DNS said "public"), refused when sent.
    channel = Channel.objects.create(
        name="x", kind=ChannelKind.WEBHOOK, target="https://10.0.0.7/hook", secret="whsec_" + "A" * 43, owner=reviewer
    )  # unpadded, as some senders write it
    delivery = channel_send_test(user=reviewer, channel=channel)
    assert delivery.status == DeliveryStatus.FAILED and "private address" in delivery.last_error


class _Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        self.messages.append(envelope)
        return "250 OK"


@pytest.fixture
def smtp_server(settings):
    handler = _Inbox()
    with socket.socket() as probe:  # aiosmtpd checks readiness by connecting, so it needs a real port
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 5},
        }
    }
    yield handler
    controller.stop()


def test_email_goes_through_a_real_smtp_server_with_the_html_escaped(reviewer, smtp_server):
    app = make_application(
        RequestNo="7001", AuditResult="auditing", audit_record={"CompanyEnglishName": "Acme <script>alert(1)</script>"}
    )
    Watch.objects.create(user=reviewer, application=app)
    NotificationPreference.objects.create(user=reviewer, email_watched=True)
    make_application(
        RequestNo="7001", AuditResult="reject", audit_record={"CompanyEnglishName": "Acme <script>alert(1)</script>"}
    )
    delivery = Delivery.objects.get()
    assert delivery_deliver(delivery_id=delivery.pk) == Outcome.DELIVERED
    [envelope] = smtp_server.messages
    assert envelope.rcpt_tos == ["rita@example.com"]
    message = email.message_from_bytes(envelope.content, policy=policy.default)
    assert "7001" in message["Subject"] and "Rejected" in message["Subject"]
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "Acme <script>alert(1)</script>" in text
    assert "<script>" not in html and "Acme &lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'href="http://review.test/applications/7001/"' in html


def test_the_sla_digest_lists_late_applications_oldest_first_and_skips_when_none(reviewer, receiver_factory, settings):
    receiver = receiver_factory()
    channel, secret = _webhook(reviewer, receiver.url)
    NotificationRule.objects.update(sla_digest=True)
    settings.REVIEW_SLA_HOURS = 24
    app_old = make_application(RequestNo="7001", State="I", AuditResult="auditing")
    app_new = make_application(RequestNo="7002", State="I", AuditResult="auditing")
    assert notification_sla_digest() == []  # nothing late yet
    now = timezone.now()
    type(app_old).objects.filter(pk=app_old.pk).update(state_changed_at=now - timedelta(hours=50))
    type(app_new).objects.filter(pk=app_new.pk).update(state_changed_at=now - timedelta(hours=30))
    [delivery_id] = notification_sla_digest()
    assert delivery_deliver(delivery_id=delivery_id) == Outcome.DELIVERED
    [request] = receiver.wait_for(1)
    payload = Webhook(secret).verify(request.body, request.headers)
    assert [item["request_no"] for item in payload["data"]["applications"]] == ["7001", "7002"]


def test_a_channel_at_its_in_flight_limit_parks_a_delivery_until_a_slot_is_handed_over(
    reviewer, receiver_factory, settings
):
    settings.NOTIFY_CHANNEL_MAX_IN_FLIGHT = 1
    receiver = receiver_factory()
    _webhook(reviewer, receiver.url)
    _reject("7001")
    _reject("7002")
    first, second = Delivery.objects.order_by("id")
    # The first is in flight (leased by a live attempt): the second is refused a slot and parked.
    Delivery.objects.filter(pk=first.pk).update(
        status=DeliveryStatus.DELIVERING, attempts=1, locked_until=timezone.now() + timedelta(seconds=30)
    )
    assert delivery_deliver(delivery_id=second.pk) == Outcome.BUSY
    assert Delivery.objects.get(pk=second.pk).waiting_for_slot
    assert delivery_sweep() == []  # no free slot: the sweeper re-queues nothing
    # The first finishes (here: its lease ends and it is delivered again): the slot goes to the second.
    Delivery.objects.filter(pk=first.pk).update(locked_until=timezone.now() - timedelta(seconds=1))
    assert delivery_deliver(delivery_id=first.pk) == Outcome.DELIVERED
    assert not Delivery.objects.get(pk=second.pk).waiting_for_slot
    assert delivery_deliver(delivery_id=second.pk) == Outcome.DELIVERED
