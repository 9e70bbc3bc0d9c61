"""The application page's CAMS fields and history are rendered once per stored content and kept in
the cache (views/fragments.py): a later request reuses them, and anything that changes what they
would show (new content, a new fetch, another language or time zone, an edited code label) shows
the new rendering, never the old one."""

import copy
import re

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import make_application

pytestmark = pytest.mark.django_db

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def _page(client, application, **headers):
    response = client.get(reverse("applications:detail", args=[application.request_no]), **headers)
    assert response.status_code == 200
    return response.content.decode()


def test_a_second_view_reads_no_snapshots_or_events_and_shows_the_same_page(logged_in):
    application = make_application(audit_record={"CompanyProfile": "Makes tea"})
    first = _page(logged_in, application)
    with CaptureQueriesContext(connection) as captured:
        second = _page(logged_in, application)
    tables = " ".join(query["sql"] for query in captured.captured_queries)
    assert "applications_applicationsnapshot" not in tables
    assert "applications_applicationevent" not in tables
    assert "Makes tea" in second
    # Same markup apart from the per-request CSRF tokens and CSP nonces.
    assert _without_tokens(first) == _without_tokens(second)


def test_new_content_is_shown_at_once_with_its_timeline_entry(logged_in):
    application = make_application(audit_record={"CompanyProfile": "Makes tea"})
    assert "Makes tea" in _page(logged_in, application)
    changed = make_application(audit_record={"CompanyProfile": "Makes coffee"}, State="I")
    assert changed.pk == application.pk
    page = _page(logged_in, changed)
    assert "Makes coffee" in page and "Makes tea" not in _section(page, 'id="company"')
    assert page.count('data-kind="event"') == 1  # the State change A -> I, from the new history


def test_the_same_content_in_another_language_is_rendered_in_that_language(logged_in):
    application = make_application()
    assert "Status and audit" in _page(logged_in, application)
    chinese = _page(logged_in, application, HTTP_ACCEPT_LANGUAGE="zh-Hans")
    assert "Status and audit" not in chinese
    assert "状态" in _section(chinese, 'id="status"')


def test_an_edited_code_label_is_shown_without_waiting_for_the_cache(logged_in, settings):
    application = make_application(State="A")
    assert "Active" in _section(_page(logged_in, application), 'id="status"')
    table = copy.deepcopy(django_settings.CAMS_CODE_TABLE)
    table["State"]["A"] = {**table["State"]["A"], "label": "Live on Viber"}
    settings.CAMS_CODE_TABLE = table
    assert "Live on Viber" in _section(_page(logged_in, application), 'id="status"')


def test_a_hostile_upstream_string_stays_escaped_when_served_from_the_cache(logged_in):
    application = make_application(audit_record={"CompanyProfile": HOSTILE})
    for _ in range(2):  # rendered, then served from the cache
        page = _page(logged_in, application)
        assert HOSTILE not in page
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page


def _section(page, marker):
    start = page.index(marker)
    return page[start : page.index("</section>", start)]


def _without_tokens(page):
    return re.sub(r'(name="csrfmiddlewaretoken" value|nonce)="[^"]+"', "", page)
