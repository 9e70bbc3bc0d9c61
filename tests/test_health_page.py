"""What operators see of the background refresh: the health page, its JSON, the application
page's schedule and timeline, and the "Queue background refresh" button.

Applications are stored with tests.factories.make_application, then their refresh fields are
set directly, so every figure below is known in advance. No CAMS and no worker are needed.
"""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from applications.models import ApplicationEvent, ViberApplication
from applications.services.refresh import PLANNER_LAST_RUN_KEY
from tests.factories import make_application

HOSTILE = "<script>alert(1)</script>"
EXAMPLE_NO = "5435435435"

pytestmark = pytest.mark.django_db


def store(request_no, **fields):
    """Store an application under ``request_no``, then set its refresh fields directly."""
    app = make_application(RequestNo=request_no)
    if fields:
        ViberApplication.objects.filter(pk=app.pk).update(**fields)
        app.refresh_from_db()
    return app


def planner_ran(ago: timedelta):
    cache.set(PLANNER_LAST_RUN_KEY, (timezone.now() - ago).isoformat(), None)


@pytest.fixture
def fleet():
    """Nine stored applications with known figures (the 'now' is the test's own)."""
    now = timezone.now()
    long_ago = now - timedelta(hours=3)
    apps = {
        # Refreshed more than an hour ago and overdue: the oldest overdue record.
        "oldest": store("1000000001", fetched_at=long_ago, next_refresh_at=now - timedelta(hours=2)),
        "due": store("1000000002", fetched_at=long_ago, next_refresh_at=now - timedelta(minutes=5)),
        "unscheduled": store("1000000003", next_refresh_at=None),
        "failed": store(
            "1000000004",
            fetched_at=long_ago,
            next_refresh_at=now + timedelta(minutes=15),
            last_error_kind="unavailable",
            last_error_code="ServiceUnavailable",
            last_error_message=f"CAMS said {HOSTILE}",
            last_error_request_id="REQ-FAILED-1",
            last_error_at=now - timedelta(minutes=10),
        ),
        "throttled": store(
            "1000000005",
            fetched_at=long_ago,
            next_refresh_at=now + timedelta(minutes=15),
            last_error_kind="throttled",
            last_error_code="Throttling.User",
            last_error_message="Request was denied due to user flow control.",
            last_error_request_id="REQ-THROTTLED-1",
            last_error_at=now - timedelta(minutes=3),
        ),
        # Failed two hours ago: in no "last hour" figure.
        "old_failure": store(
            "1000000006", fetched_at=long_ago, last_error_kind="unavailable", last_error_at=now - timedelta(hours=2)
        ),
        "fresh": store("1000000007"),  # refreshed just now, next refresh in the future
    }
    # Changed within the hour (two events on one application count once) ...
    make_application(RequestNo="1000000008", State="I", AuditResult="auditing", seen_at=now - timedelta(minutes=30))
    apps["changed"] = make_application(RequestNo="1000000008", seen_at=now - timedelta(minutes=20))
    # ... and changed only long ago (not counted).
    make_application(RequestNo="1000000009", State="I", seen_at=now - timedelta(hours=5))
    apps["changed_long_ago"] = make_application(RequestNo="1000000009", seen_at=now - timedelta(hours=4))
    ViberApplication.objects.filter(pk=apps["changed_long_ago"].pk).update(fetched_at=long_ago)
    return apps


EXPECTED = {
    "total": 9,
    "due": 2,  # oldest, due
    "unscheduled": 1,
    "refreshed_last_hour": 3,  # unscheduled, fresh, changed
    "changed_last_hour": 1,
    "failed_last_hour": 1,
    "throttled_last_hour": 1,
}


def test_the_health_page_needs_a_login(client):
    response = client.get(reverse("applications:health"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_the_json_variant_answers_401_json_when_anonymous(client):
    response = client.get(reverse("applications:api-health"))
    assert response.status_code == 401
    assert response.json()["error"] == "unauthenticated"


def test_the_nav_links_to_the_health_page(logged_in, soup_of):
    nav = soup_of(logged_in.get(reverse("applications:home"))).select_one("nav.site-nav")
    assert nav.find("a", href=reverse("applications:health"), string="Refresh health")


def test_the_figures_count_a_known_fleet(logged_in, fleet, soup_of):
    page = soup_of(logged_in.get(reverse("applications:health")))
    shown = {dd["data-figure"]: int(dd.get_text()) for dd in page.select("#figures dd[data-figure]")}
    assert shown == EXPECTED


def test_the_json_variant_has_the_same_figures(logged_in, fleet):
    body = logged_in.get(reverse("applications:api-health")).json()
    assert body["figures"] == EXPECTED
    assert body["oldest_overdue"]["request_no"] == "1000000001"
    assert 7190 <= body["oldest_overdue"]["overdue_seconds"] <= 7300
    assert {row["request_no"]: row["kind"] for row in body["recent_failures"]} == {
        "1000000004": "unavailable",
        "1000000005": "throttled",
    }


def test_the_oldest_overdue_record_links_to_its_page_with_how_late_it_is(logged_in, fleet, soup_of, text_of):
    section = soup_of(logged_in.get(reverse("applications:health"))).select_one("#oldest-overdue")
    assert section.find("a", href=reverse("applications:detail", args=["1000000001"]))
    assert "Overdue by 2 hours" in text_of(section)


def test_nothing_overdue_says_so(logged_in, soup_of, text_of):
    store("1000000001", next_refresh_at=timezone.now() + timedelta(minutes=5))
    section = soup_of(logged_in.get(reverse("applications:health"))).select_one("#oldest-overdue")
    assert "Nothing is overdue" in text_of(section)


def test_recent_failures_list_kind_code_and_request_id_newest_first(logged_in, fleet, soup_of, text_of):
    rows = soup_of(logged_in.get(reverse("applications:health"))).select("#failures tbody tr")
    cells = [[text_of(td) for td in row.select("td")] for row in rows]
    assert [row[0] for row in cells] == ["1000000005", "1000000004"]  # the old failure is not listed
    assert cells[0][1:3] == ["throttled", "Throttling.User"] and cells[0][4] == "REQ-THROTTLED-1"
    assert cells[1][1:3] == ["unavailable", "ServiceUnavailable"] and cells[1][4] == "REQ-FAILED-1"
    assert rows[1].find("a", href=reverse("applications:detail", args=["1000000004"]))


def test_an_upstream_error_message_is_escaped(logged_in, fleet):
    html = logged_in.get(reverse("applications:health")).content.decode()
    assert HOSTILE not in html
    assert "CAMS said &lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_recent_changes_show_labels_and_codes(logged_in, fleet, soup_of, text_of):
    rows = soup_of(logged_in.get(reverse("applications:health"))).select("#changes tbody tr")
    changes = [text_of(row.select("td")[2]) for row in rows]
    assert "State: In review I → Active A" in changes
    assert "Audit result: Under audit auditing → Approved pass" in changes
    assert len(rows) == ApplicationEvent.objects.count() == 3  # two on ...08, one on ...09


def test_recent_changes_stop_at_twenty(logged_in, soup_of):
    app = make_application()
    now = timezone.now()
    ApplicationEvent.objects.bulk_create(
        [
            ApplicationEvent(
                application=app, field="state", old_value="I", new_value="A", seen_at=now - timedelta(minutes=i)
            )
            for i in range(25)
        ]
    )
    assert len(soup_of(logged_in.get(reverse("applications:health"))).select("#changes tbody tr")) == 20


def test_planner_warning_when_it_never_ran(logged_in, soup_of, text_of):
    warning = soup_of(logged_in.get(reverse("applications:health"))).select_one("#planner-warning")
    assert warning and "never run" in text_of(warning)


def test_planner_warning_when_its_last_run_is_older_than_three_intervals(logged_in, settings, soup_of, text_of):
    interval = settings.CELERY_BEAT_SCHEDULE["plan-due-refreshes"]["schedule"]
    planner_ran(timedelta(seconds=interval * 3 + 30))
    warning = soup_of(logged_in.get(reverse("applications:health"))).select_one("#planner-warning")
    assert warning and "has not run for" in text_of(warning)
    assert logged_in.get(reverse("applications:api-health")).json()["planner"]["stale"] is True


def test_no_planner_warning_after_a_recent_run(logged_in, settings, soup_of, text_of):
    interval = settings.CELERY_BEAT_SCHEDULE["plan-due-refreshes"]["schedule"]
    planner_ran(timedelta(seconds=interval))  # one missed run is not an alarm
    page = soup_of(logged_in.get(reverse("applications:health")))
    assert page.select_one("#planner-warning") is None
    assert "Running" in text_of(page.select_one("#planner"))
    assert logged_in.get(reverse("applications:api-health")).json()["planner"]["stale"] is False


def test_the_stale_limit_follows_the_planner_interval(logged_in, settings, soup_of):
    settings.CAMS_PLANNER_INTERVAL_SECONDS = 600.0
    planner_ran(timedelta(minutes=20))  # stale at a 60 s interval, fine at 600 s
    assert soup_of(logged_in.get(reverse("applications:health"))).select_one("#planner-warning") is None


# --- The application page: schedule, timeline, background refresh -----------------------------


def test_the_application_page_shows_the_refresh_schedule(logged_in, soup_of, text_of):
    app = make_application(State="I", AuditResult="auditing")
    ViberApplication.objects.filter(pk=app.pk).update(next_refresh_at=timezone.now() + timedelta(minutes=8, seconds=30))
    schedule = text_of(
        soup_of(logged_in.get(reverse("applications:detail", args=[EXAMPLE_NO]))).select_one("#refresh-schedule")
    )
    assert "Next background refresh in 8 minutes" in schedule
    assert "Still moving (In review / Under audit): checked every 10 minutes" in schedule


def test_a_settled_overdue_application_says_so(logged_in, soup_of, text_of):
    app = make_application()  # State A, AuditResult pass: settled
    ViberApplication.objects.filter(pk=app.pk).update(next_refresh_at=timezone.now() - timedelta(hours=1, minutes=1))
    schedule = text_of(
        soup_of(logged_in.get(reverse("applications:detail", args=[EXAMPLE_NO]))).select_one("#refresh-schedule")
    )
    assert "overdue by 1 hour" in schedule
    assert "Settled (Active / Approved): checked every 1 day" in schedule


def test_the_timeline_merges_snapshots_and_changes_newest_first(logged_in, settings, soup_of, text_of):
    settings.CAMS_FRESH_SECONDS = 24 * 3600  # show the stored copy; this test needs no CAMS
    t0 = timezone.now() - timedelta(hours=3)
    make_application(State="I", AuditResult="auditing", seen_at=t0)
    make_application(seen_at=t0 + timedelta(hours=1))  # I -> A and auditing -> pass: two events and a snapshot
    make_application(Reason="new comment", seen_at=t0 + timedelta(hours=2))  # content only: a snapshot
    entries = soup_of(logged_in.get(reverse("applications:detail", args=[EXAMPLE_NO]))).select("#fetch .timeline li")
    kinds = [entry["data-kind"] for entry in entries]
    texts = [text_of(entry) for entry in entries]
    times = [entry.time["datetime"] for entry in entries]
    assert kinds == ["snapshot", "event", "event", "snapshot", "snapshot"]
    assert times == sorted(times, reverse=True)
    assert "Content changed: State Active A, audit Approved pass" in texts[0]
    assert {texts[1].split(" ", 3)[-1], texts[2].split(" ", 3)[-1]} == {
        "Audit result: Under audit auditing → Approved pass",
        "State: In review I → Active A",
    }
    assert "First copy stored: State In review I, audit Under audit auditing" in texts[4]


def test_the_timeline_escapes_upstream_codes(logged_in):
    make_application(State=HOSTILE)
    make_application()
    html = logged_in.get(reverse("applications:detail", args=[EXAMPLE_NO])).content.decode()
    assert HOSTILE not in html and "&lt;script&gt;" in html


def test_the_background_refresh_button_posts_to_its_own_url(reviewer_client, soup_of):
    make_application()
    page = soup_of(reviewer_client.get(reverse("applications:detail", args=[EXAMPLE_NO])))
    button = page.find("button", string="Queue background refresh")
    assert button["formaction"] == reverse("applications:refresh-background", args=[EXAMPLE_NO])
    form = button.find_parent("form")
    assert form["method"] == "post" and form.find("input", attrs={"name": "csrfmiddlewaretoken"})


def test_the_background_refresh_queues_after_commit_and_redirects_with_a_message(
    reviewer_client, django_capture_on_commit_callbacks, soup_of, text_of
):
    make_application()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = reviewer_client.post(reverse("applications:refresh-background", args=[EXAMPLE_NO]))
    assert response.status_code == 302
    assert response["Location"] == reverse("applications:detail", args=[EXAMPLE_NO])
    assert len(callbacks) == 1  # the Celery message goes out only once the request's transaction commits
    page = soup_of(reviewer_client.get(response["Location"]))
    assert "Queued a background refresh" in text_of(page.select_one(".messages .message-success"))


def test_the_background_refresh_of_an_unknown_application_is_a_404(reviewer_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = reviewer_client.post(reverse("applications:refresh-background", args=["9999999999"]))
    assert response.status_code == 404 and callbacks == []


def test_the_background_refresh_needs_login_post_and_csrf(client, django_user_model):
    make_application()
    url = reverse("applications:refresh-background", args=[EXAMPLE_NO])
    assert client.post(url).status_code == 302  # to the login page
    user = django_user_model.objects.create_user("csrf", password="x" * 20)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(user)
    assert strict.post(url).status_code == 403
    client.force_login(user)
    assert client.get(url).status_code == 405


# --- In a real browser ---------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_health_page_in_chromium(page, live_server, log_in, reviewer, fleet, settings, screenshot_dir):
    settings.CAMS_FRESH_SECONDS = 24 * 3600  # the application page shows stored copies, no CAMS
    log_in(reviewer)
    page.get_by_role("link", name="Refresh health").click()
    page.wait_for_url("**/refresh/")
    assert page.locator("#planner-warning").is_visible()
    assert page.locator("[data-figure=due]").inner_text() == "2"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=str(screenshot_dir / "viber-review-health.png"), full_page=True)
    page.get_by_role("link", name="1000000001").click()
    page.wait_for_url("**/applications/1000000001/")
    # Not clicked here: a committed click really publishes to the configured broker.
    assert page.get_by_role("button", name="Queue background refresh").is_visible()
    assert "overdue by 2 hours" in page.locator("#refresh-schedule").inner_text().replace("\xa0", " ")
    page.screenshot(path=str(screenshot_dir / "viber-review-detail-schedule.png"))
    page.goto(f"{live_server.url}/applications/1000000008/")
    assert page.locator("#fetch .timeline li").count() == 4  # two snapshots, two changes
    page.locator("#fetch").screenshot(path=str(screenshot_dir / "viber-review-timeline.png"))
