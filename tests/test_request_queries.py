"""How many queries a request costs: bounded, so a new per-request query shows up as a failure."""

import pytest
import redis as redis_lib
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import make_application

pytestmark = pytest.mark.django_db

CACHED_SESSIONS = "config.sessions"  # what settings choose when REDIS_URL is set


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


@pytest.fixture
def redis_commands(monkeypatch):
    """The names of the Redis commands sent while the test runs, in order."""
    sent = []
    original = redis_lib.Redis.execute_command

    def counting(self, *args, **options):
        sent.append(str(args[0]).upper())
        return original(self, *args, **options)

    monkeypatch.setattr(redis_lib.Redis, "execute_command", counting)
    return sent


def test_a_warm_json_api_request_reads_redis_once(production_sessions, reviewer_client, redis_commands):
    application = make_application()
    url = reverse("applications:api-detail", args=[application.request_no])
    reviewer_client.get(url)
    reviewer_client.get(url)  # warm: session cached, roles and body copied into this process
    redis_commands.clear()
    with CaptureQueriesContext(connection) as captured:
        response = reviewer_client.get(url)
    assert response.status_code == 200 and response.json()["request_no"] == application.request_no
    # The session and the roles' generation in one MGET; the user, permissions and body from memory.
    assert redis_commands == ["MGET"]
    assert len(captured) == 1


def test_a_role_change_reaches_the_next_request_despite_the_copies(production_sessions, reviewer, reviewer_client):
    application = make_application()
    api = reverse("applications:api-detail", args=[application.request_no])
    page = reverse("applications:detail", args=[application.request_no])
    for _ in range(2):
        assert reviewer_client.get(api).status_code == 200
        assert 'id="status-form"' in reviewer_client.get(page).content.decode()
    reviewer.groups.clear()  # no longer a reviewer: the page stops offering the review form
    assert 'id="status-form"' not in reviewer_client.get(page).content.decode()
    reviewer.is_active = False
    reviewer.save()
    assert reviewer_client.get(api).status_code == 401
