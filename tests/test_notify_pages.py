"""Notifications pages through Django's test client: bell, inbox, watch, queue filter, rules,
channels (secret shown once, SSRF answer, Send test, Redeliver) and permissions."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from applications.benchmarks.webhook_receiver import Reply
from applications.models import Channel, Delivery, DeliveryStatus, Notification, NotificationRule, Watch
from applications.services.notifications.delivery import delivery_deliver
from tests.factories import make_application

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewer(make_user):
    return make_user("rita", "reviewers", email="rita@example.com")


@pytest.fixture
def viewer(make_user):
    return make_user("vic", "viewers")


def _soup(response):
    return BeautifulSoup(response.content, "html.parser")


def test_watching_puts_changes_in_the_inbox_and_the_bell_counts_them(client, viewer):
    app = make_application(
        RequestNo="7001", AuditResult="auditing", audit_record={"CompanyEnglishName": "Acme <script>x</script>"}
    )
    client.force_login(viewer)
    page = _soup(client.get(reverse("applications:detail", args=["7001"])))
    assert page.select_one("#watch button").get_text(strip=True) == "Watch"
    assert page.select_one("#bell-count") is None
    client.post(reverse("applications:watch", args=["7001"]), {"watch": "1"})
    assert Watch.objects.filter(user=viewer, application=app).exists()
    make_application(
        RequestNo="7001", AuditResult="reject", audit_record={"CompanyEnglishName": "Acme <script>x</script>"}
    )
    response = client.get(reverse("applications:notifications"))
    page = _soup(response)
    assert page.select_one("#bell-count").get_text() == "1"
    row = page.select_one("#inbox tbody tr")
    assert "7001" in row.get_text() and "Rejected" in row.get_text()
    assert b"<script>x</script>" not in response.content
    client.post(reverse("applications:notifications-read"))
    assert _soup(client.get(reverse("applications:notifications"))).select_one("#bell-count") is None
    # The queue's "watching" filter shows only what this user watches.
    make_application(RequestNo="7002")
    queue = _soup(client.get(reverse("applications:queue") + "?watching=1"))
    assert [a.get_text() for a in queue.select("table.queue-table tbody tr td a")][:1] == ["7001"]
    assert len(queue.select("table.queue-table tbody tr")) == 1
    client.post(reverse("applications:watch", args=["7001"]), {"watch": "0"})
    assert not Watch.objects.exists()


def test_watching_an_unknown_application_is_a_404(client, viewer):
    client.force_login(viewer)
    assert client.post(reverse("applications:watch", args=["999"]), {"watch": "1"}).status_code == 404


def test_rules_and_channels_need_the_review_permission(client, viewer):
    client.force_login(viewer)
    for name in ("notification-rules", "notification-channels"):
        assert client.get(reverse(f"applications:{name}")).status_code == 403
    assert "Rules" not in _soup(client.get(reverse("applications:notifications"))).get_text()


def test_a_reviewer_creates_a_webhook_sees_the_secret_once_and_sends_a_test(
    client, reviewer, notify_settings, receiver_factory
):
    receiver = receiver_factory(lambda i, h, b: Reply(body=b'{"received":"<yes>"}'))
    client.force_login(reviewer)
    response = client.post(
        reverse("applications:notification-channels"), {"name": "Ops hook", "kind": "webhook", "target": receiver.url}
    )
    secret = _soup(response).select_one("#new-secret code").get_text()
    assert secret.startswith("whsec_")
    channel = Channel.objects.get()
    page = client.get(reverse("applications:notification-channel", args=[channel.pk]))
    assert secret.encode() not in page.content
    response = client.post(reverse("applications:notification-channel", args=[channel.pk]), {"action": "test"})
    result = _soup(response).select_one("#test-result").get_text()
    assert "delivered" in result and "HTTP 200" in result and '{"received":"<yes>"}' in result
    assert receiver.count() == 1
    assert b'<yes>"}' not in response.content  # the receiver's answer is escaped


def test_an_internal_url_is_refused_with_a_clear_message(client, reviewer, settings):
    settings.NOTIFY_ALLOW_PRIVATE_TARGETS = False
    client.force_login(reviewer)
    response = client.post(
        reverse("applications:notification-channels"),
        {"name": "meta", "kind": "slack", "target": "https://169.254.169.254/latest"},
    )
    assert response.status_code == 400
    assert "metadata" in _soup(response).get_text() and not Channel.objects.exists()


def test_rules_are_listed_with_last_fired_and_edited(client, reviewer, notify_settings, receiver_factory):
    receiver = receiver_factory()
    channel = Channel.objects.create(name="hook", kind="webhook", target=receiver.url, secret="whsec_" + "A" * 44)
    client.force_login(reviewer)
    response = client.post(
        reverse("applications:notification-rules"),
        {"name": "Rejected", "field": "audit_result", "values": "reject", "channel": channel.pk, "enabled": "on"},
    )
    assert response.status_code == 302
    rule = NotificationRule.objects.get()
    assert rule.values == ["reject"] and rule.owner == reviewer
    assert "never" in _soup(client.get(reverse("applications:notification-rules"))).select_one("#rules").get_text()
    make_application(RequestNo="7001", AuditResult="auditing")
    make_application(RequestNo="7001", AuditResult="reject")
    row = _soup(client.get(reverse("applications:notification-rules"))).select_one("#rules tbody tr").get_text()
    assert "never" not in row
    client.post(
        reverse("applications:notification-rule", args=[rule.pk]),
        {"name": "Any audit", "field": "audit_result", "values": "", "channel": channel.pk},
    )
    rule.refresh_from_db()
    assert (rule.name, rule.values, rule.enabled) == ("Any audit", [], False)
    # The delivery log shows the attempt and offers Redeliver.
    delivery = Delivery.objects.get()
    delivery_deliver(delivery_id=delivery.pk)
    page = _soup(client.get(reverse("applications:notification-channel", args=[channel.pk])))
    assert "200" in page.select_one("#delivery-log tbody tr").get_text()
    client.post(reverse("applications:notification-redeliver", args=[delivery.pk]))
    assert Delivery.objects.get().status == DeliveryStatus.PENDING


def test_the_inbox_tells_a_channel_owner_when_it_was_disabled(client, reviewer):
    Notification.objects.create(user=reviewer, title="Channel 'x' was disabled: it kept failing")
    client.force_login(reviewer)
    assert "1" == _soup(client.get(reverse("applications:home"))).select_one("#bell-count").get_text()


def test_the_admin_checks_channel_urls_and_shows_a_new_webhook_secret_once(client, django_user_model, settings):
    admin_user = django_user_model.objects.create_superuser("root", email="root@example.com")
    client.force_login(admin_user)
    url = reverse("admin:applications_channel_add")
    form = {
        "name": "hook",
        "kind": "webhook",
        "target": "https://127.0.0.1/hook",
        "enabled": "on",
        "rules-TOTAL_FORMS": "0",
        "rules-INITIAL_FORMS": "0",
    }
    settings.NOTIFY_ALLOW_PRIVATE_TARGETS = False
    response = client.post(url, form)
    assert response.status_code == 200 and "loopback" in response.content.decode() and not Channel.objects.exists()
    settings.NOTIFY_ALLOW_PRIVATE_TARGETS = True
    response = client.post(url, {**form, "target": "http://127.0.0.1:9/hook"}, follow=True)
    channel = Channel.objects.get()
    assert channel.secret.startswith("whsec_") and channel.owner == admin_user
    assert channel.secret in response.content.decode()
    assert (
        channel.secret
        not in client.get(reverse("admin:applications_channel_change", args=[channel.pk])).content.decode()
    )
