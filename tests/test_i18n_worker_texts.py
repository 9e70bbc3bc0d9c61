"""Text that is not written for a reader in a request still reaches each reader in their language:
bulk lookup outcomes stored by workers, and the standalone 500 page."""

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import translation

from applications.models import BulkLookup, BulkLookupItem
from applications.services.bulk_lookup import UNEXPECTED_TEXT
from applications.services.preferences import user_preferences_set
from tests.factories import make_application

Outcome = BulkLookupItem.Outcome
THROTTLED = "Request was denied due to user flow control."


@pytest.fixture
def bulk(db, reviewer):
    """A finished bulk lookup with the outcomes a worker writes: not found, failed with a stored copy, crashed."""
    bulk = BulkLookup.objects.create(created_by=reviewer, total=3, status=BulkLookup.Status.DONE)
    stored = make_application(RequestNo="7100000001")
    BulkLookupItem.objects.create(bulk=bulk, position=0, request_no="7100000404", outcome=Outcome.NOT_FOUND)
    BulkLookupItem.objects.create(
        bulk=bulk,
        position=1,
        request_no="7100000001",
        outcome=Outcome.FAILED,
        application=stored,
        error_code="Throttling.User",
        error_message=THROTTLED,
    )
    BulkLookupItem.objects.create(
        bulk=bulk,
        position=2,
        request_no="7100000002",
        outcome=Outcome.FAILED,
        error_code="OSError",
        error_message=UNEXPECTED_TEXT,
    )
    return bulk


def _details(client, bulk, soup_of, text_of) -> list[str]:
    page = soup_of(client.get(reverse("applications:bulk-detail", args=[bulk.pk])))
    return [text_of(row.select("td")[-1]) for row in page.select("#bulk-results tbody tr")]


def test_worker_outcomes_are_worded_in_the_readers_language(bulk, reviewer, make_user, soup_of, text_of):
    english = Client()
    english.force_login(reviewer)
    assert _details(english, bulk, soup_of, text_of) == [
        "CAMS has no application with this request number in this customer space.",
        f"Stored copy kept: {THROTTLED} Throttling.User",
        "Unexpected error; see the worker log OSError",
    ]

    reader = make_user("lin", "reviewers")
    user_preferences_set(user=reader, language="zh-hans")
    chinese = Client()
    chinese.force_login(reader)
    assert _details(chinese, bulk, soup_of, text_of) == [
        "CAMS 在此客户空间中没有该申请编号对应的申请。",
        f"已保留存储的副本：{THROTTLED} Throttling.User",  # the upstream message as CAMS sent it
        "意外错误；请查看 worker 日志 OSError",
    ]
    export = b"".join(chinese.get(reverse("applications:bulk-export", args=[bulk.pk])).streaming_content).decode()
    assert f"已保留存储的副本：{THROTTLED}" in export


def test_the_500_page_follows_the_active_language():
    assert 'lang="en"' in render_to_string("500.html")
    with translation.override("zh-hans"):
        page = render_to_string("500.html")
    assert 'lang="zh-hans"' in page and "<h1>出错了</h1>" in page
