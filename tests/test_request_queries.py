"""How many queries a request costs: bounded, so a new per-request query shows up as a failure."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import make_application

pytestmark = pytest.mark.django_db

CACHED_SESSIONS = "django.contrib.sessions.backends.cached_db"  # what settings choose when REDIS_URL is set


@pytest.fixture
def production_sessions(redis_settings, settings):
    settings.SESSION_ENGINE = CACHED_SESSIONS
    settings.CAMS_FRESH_SECONDS = 300
    return settings


def _queries(client, url):
    client.get(url)  # the first request may fill the session cache
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return [query["sql"] for query in captured.captured_queries]


def test_the_json_api_reads_the_application_and_nothing_else(production_sessions, logged_in):
    application = make_application()
    queries = _queries(logged_in, reverse("applications:api-detail", args=[application.request_no]))
    # The session, the signed-in user and their permissions come from the cache.
    assert len(queries) == 1, queries
    assert not any("django_session" in sql for sql in queries)
    assert any("applications_viberapplication" in sql for sql in queries)


def test_a_session_read_from_the_cache_still_ends_at_logout(production_sessions, logged_in):
    application = make_application()
    url = reverse("applications:api-detail", args=[application.request_no])
    assert logged_in.get(url).status_code == 200
    logged_in.post(reverse("logout"))
    assert logged_in.get(url).status_code == 401


def test_the_application_page_reads_the_application_and_nothing_else(production_sessions, reviewer_client):
    application = make_application()
    queries = _queries(reviewer_client, reverse("applications:detail", args=[application.request_no]))
    # The user, their permissions, the CAMS fields, timeline, diffs, review log, assignee choices,
    # watched ids and the bell's unread count come from the cache.
    assert [_table(sql) for sql in queries] == ["applications_viberapplication"], queries


def test_the_queue_page_reads_one_page_of_rows_and_nothing_else(production_sessions, reviewer_client):
    for number in range(60):
        make_application(RequestNo=f"77{number:08d}")
    queries = _queries(reviewer_client, reverse("applications:queue"))
    tables = [_table(sql) for sql in queries]
    # The page's ids, then its rows (assignees joined); the user, the choices and the bell's unread
    # count come from the cache, and the counts from it too or, when not cached, from the counts
    # section's own request (tests/test_queue_lazy_counts.py).
    assert tables == ["applications_viberapplication", "applications_viberapplication"], queries


def _table(sql: str) -> str:
    return sql.split(" FROM ", 1)[1].split()[0].strip('"')
