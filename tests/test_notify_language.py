"""Messages go out in their reader's language: e-mails and inbox lines in the recipient's saved
language (else LANGUAGE_CODE), chat robots in LANGUAGE_CODE whatever language is active, and the
queue's CSV headers in the language of the request."""

import json

import pytest
from django.core import mail
from django.utils import translation

from applications.benchmarks.webhook_receiver import Reply
from applications.models import ChannelKind, Delivery, Notification, NotificationPreference, UserPreferences, Watch
from applications.services.notifications.delivery import Outcome, delivery_deliver
from applications.services.notifications.manage import channel_create, channel_send_test
from tests.factories import make_application

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _loopback_and_local_mail(notify_settings):
    notify_settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    return notify_settings


def _watcher(make_user, username, language):
    user = make_user(username, "reviewers", email=f"{username}@example.com")
    if language:
        UserPreferences.objects.create(user=user, language=language)
    NotificationPreference.objects.create(user=user, email_watched=True)
    return user


def test_each_watcher_gets_the_inbox_line_and_the_email_in_their_language(make_user):
    chinese = _watcher(make_user, "li", "zh-hans")
    english = _watcher(make_user, "rita", "")  # no saved language: LANGUAGE_CODE
    app = make_application(RequestNo="7001", AuditResult="auditing", audit_record={"CompanyEnglishName": "Acme"})
    Watch.objects.create(user=chinese, application=app)
    Watch.objects.create(user=english, application=app)

    with translation.override("en"):  # whatever the writing request speaks
        make_application(RequestNo="7001", AuditResult="reject", audit_record={"CompanyEnglishName": "Acme"})

    titles = dict(Notification.objects.values_list("user__username", "title"))
    assert titles["li"].startswith("7001：审核结果 ") and titles["li"].endswith("→ 审核未通过（Acme）")
    assert titles["rita"].startswith("7001: Audit result ") and titles["rita"].endswith("→ Rejected (Acme)")

    with translation.override("en"):  # a worker's active language does not decide either
        for delivery in Delivery.objects.order_by("recipient__username"):
            assert delivery_deliver(delivery_id=delivery.pk) == Outcome.DELIVERED
    by_recipient = {message.to[0]: message for message in mail.outbox}
    chinese_mail, english_mail = by_recipient["li@example.com"], by_recipient["rita@example.com"]
    assert chinese_mail.subject.startswith("[Viber Review] 7001：审核结果 ") and "审核未通过" in chinese_mail.subject
    assert "公司：Acme" in chinese_mail.body
    html = chinese_mail.alternatives[0].content
    assert '<html lang="zh-hans">' in html and "在 Viber Review 中打开" in html
    assert english_mail.subject.startswith("[Viber Review] 7001: Audit result ") and "Rejected" in english_mail.subject
    assert '<html lang="en">' in english_mail.alternatives[0].content


def test_chat_robots_write_in_the_sites_language(make_user, receiver_factory, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    owner = make_user("rita", "reviewers")
    receiver = receiver_factory(lambda i, h, b: Reply(body=b'{"errcode":0,"errmsg":"ok"}'))
    channel, _ = channel_create(user=owner, name="ding", kind=ChannelKind.DINGTALK, target=receiver.url, secret="SEC")
    with translation.override("en"):  # the request that pressed "Send test" was in English
        channel_send_test(user=owner, channel=channel)
    [request] = receiver.wait_for(1)
    markdown = json.loads(request.body)["markdown"]
    assert markdown["title"] == "Viber Review 测试消息"
    assert "来自 Viber Review 的渠道“ding”测试消息" in markdown["text"] and "在 Viber Review 中打开" in markdown["text"]


def test_the_csv_export_names_its_columns_in_the_readers_language(reviewer_client):
    make_application(RequestNo="7001")
    english = b"".join(reviewer_client.get("/queue/export.csv").streaming_content).decode("utf-8-sig")
    assert english.splitlines()[0].startswith("Request number,Customer space,")
    reviewer_client.post("/preferences/language/", {"language": "zh-hans", "next": "/queue/"})
    chinese = b"".join(reviewer_client.get("/queue/export.csv").streaming_content).decode("utf-8-sig")
    assert chinese.splitlines()[0].startswith("申请编号,客户空间,企业英文名称,")
    assert chinese.splitlines()[1].startswith("7001,")
