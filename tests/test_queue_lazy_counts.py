"""The queue page does not wait for counts that are not cached: it shows its rows, and the counts
section loads them (with the summary line and the page links that need the total)."""

from collections import Counter

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications.models import ViberApplication
from applications.queue_cache import cached_counts, filters_key
from applications.selectors.queue import PAGE_SIZE, queue_counts, queue_metrics, queue_page, settled_q
from tests.factories import make_application

pytestmark = pytest.mark.django_db


@pytest.fixture
def many():
    """One application more than a page: I/auditing, and the rest A/pass."""
    for number in range(PAGE_SIZE + 1):
        if number < 3:
            make_application(RequestNo=f"55{number:08d}", State="I", AuditResult="auditing")
        else:
            make_application(RequestNo=f"55{number:08d}", State="A", AuditResult="pass")


def _counted(captured) -> bool:
    """Whether a GROUP BY over the applications ran (the bell's unread count is another table)."""
    return any(
        "GROUP BY" in query["sql"] and "applications_viberapplication" in query["sql"]
        for query in captured.captured_queries
    )


def _counts_url(soup):
    return soup.select_one("#counts")["hx-get"]


def test_a_first_visit_shows_the_rows_and_leaves_the_counts_to_the_counts_section(viewer, client, many, soup_of):
    client.force_login(viewer)
    url = reverse("applications:queue") + "?sort=request_no"
    with CaptureQueriesContext(connection) as captured:
        soup = soup_of(client.get(url))
    assert not _counted(captured)
    assert len(soup.select("table.queue-table tbody tr")) == PAGE_SIZE
    counts = soup.select_one("#counts")
    assert counts["aria-busy"] == "true" and counts["hx-trigger"] == "load"
    assert counts.select_one("#counts-title").get_text(strip=True) == "Applications"
    assert counts.select_one("#state-counts") is None
    assert _counts_url(soup).startswith(reverse("applications:queue-metrics") + "?")
    assert "sort=request_no" in _counts_url(soup) and "counts=1" in _counts_url(soup)
    # Numbers that need the total are left open, clearly: "of …", and no "Last" link yet.
    assert "Showing 1–50 of …" in soup.select_one("#page-summary").get_text()
    pages = soup.select_one("#queue-pages")
    assert "Page 1 of …" in pages.get_text()
    assert [a.get_text() for a in pages.select("a")] == ["Next"]


def test_the_counts_section_loads_the_counts_the_summary_and_the_page_links(viewer, client, many, soup_of):
    client.force_login(viewer)
    page_url = reverse("applications:queue") + "?sort=request_no"
    counts_url = _counts_url(soup_of(client.get(page_url)))
    response = client.get(counts_url, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and b"<html" not in response.content
    soup = soup_of(response)
    assert soup.select_one("#counts-title").get_text(strip=True) == "51 applications"
    assert soup.select_one("#counts").get("hx-get") is None
    assert [chip.select_one("strong").get_text() for chip in soup.select("#state-counts .chip")] == ["48", "3"]
    assert soup.select_one("#state-counts a")["href"].startswith(reverse("applications:queue") + "?")
    summary = soup.select_one("#page-summary")
    assert summary["hx-swap-oob"] == "true" and "Showing 1–50 of 51" in summary.get_text()
    pages = soup.select_one("#queue-pages")
    assert pages["hx-swap-oob"] == "true" and "Page 1 of 2" in pages.get_text()
    assert [a.get_text() for a in pages.select("a")] == ["Next", "Last"]
    assert "sort=request_no" in pages.select_one('a[rel="next"]')["href"]
    # The counts are now cached: the next page of the same list shows them inline.
    again = soup_of(client.get(page_url + "&page=2"))
    assert again.select_one("#counts-title").get_text(strip=True) == "51 applications"
    assert again.select_one("#counts").get("hx-get") is None
    assert "Page 2 of 2" in again.select_one("#queue-pages").get_text()


def test_without_scripts_the_counts_link_opens_a_page_with_the_counts_and_the_metrics(viewer, client, many, soup_of):
    client.force_login(viewer)
    soup = soup_of(client.get(reverse("applications:queue") + "?review_status=new"))
    link = soup.select_one("#counts-loading a")["href"]
    assert link == _counts_url(soup)
    page = soup_of(client.get(link))
    assert page.select_one("#counts-title").get_text(strip=True) == "51 applications match the filters"
    assert page.select_one("#metrics #metric-waiting") is not None


def test_a_page_past_the_end_still_lands_on_the_last_page(viewer, client, many, soup_of):
    client.force_login(viewer)
    soup = soup_of(client.get(reverse("applications:queue") + "?sort=request_no&page=99"))
    assert [row.find("a").get_text(strip=True) for row in soup.select("table.queue-table tbody tr")] == ["5500000050"]
    assert "Page 2 of 2" in soup.select_one("#queue-pages").get_text()


def test_a_list_that_fits_on_its_first_page_is_counted_from_its_rows(viewer, client, soup_of):
    make_application(RequestNo="6600000001", State="I", AuditResult="auditing")
    make_application(RequestNo="6600000002", State="A", AuditResult="pass")
    client.force_login(viewer)
    with CaptureQueriesContext(connection) as captured:
        soup = soup_of(client.get(reverse("applications:queue") + "?q=66"))
    assert not _counted(captured)
    assert soup.select_one("#counts-title").get_text(strip=True) == "2 applications match the filters"
    assert soup.select_one("#counts").get("hx-get") is None
    grouped, _ = cached_counts(filters={"q": "66"}, user=None)
    assert sorted(grouped) == [("A", "pass", 1), ("I", "auditing", 1)]


def test_the_unfiltered_counts_equal_a_count_of_every_row(many):
    make_application(RequestNo="7700000001", State="stop", AuditResult="reject")
    make_application(RequestNo="7700000002", State="", AuditResult="")
    counts = queue_counts(filters={})
    expected = Counter((app.state, app.audit_result) for app in queue_page(filters={}, page_size=200).rows)
    assert counts.total == sum(expected.values()) == PAGE_SIZE + 3
    assert {code: n for code, _, n in counts.state_counts} == dict(
        Counter(state for (state, _), n in expected.items() for _ in range(n))
    )
    assert {code: n for code, _, n in counts.audit_counts} == dict(
        Counter(audit for (_, audit), n in expected.items() for _ in range(n))
    )


def test_unknown_parameters_are_escaped_in_the_counts_links(viewer, client, many):
    client.force_login(viewer)
    body = client.get(reverse("applications:queue") + '?x="><script>alert(1)</script>').content.decode()
    assert "<script>alert(1)" not in body
    fragment = client.get(
        reverse("applications:queue-metrics") + '?counts=1&x="><script>alert(1)</script>', HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "<script>alert(1)" not in fragment


def test_waiting_per_state_sums_the_unfiltered_counts_and_leaves_them_for_the_queue(many):
    make_application(RequestNo="7700000003", State="A", AuditResult="auditing")  # final state, audit not
    make_application(RequestNo="7700000004", State="I", AuditResult="reject")
    metrics = queue_metrics()
    pending = ViberApplication.objects.exclude(settled_q())
    assert {code: n for code, _, n in metrics["waiting"]} == dict(Counter(pending.values_list("state", flat=True)))
    assert [n for _, _, n in metrics["waiting"]] == sorted((n for _, _, n in metrics["waiting"]), reverse=True)
    assert metrics["waiting_total"] == pending.count() == 5
    grouped, _ = cached_counts(filters={})
    assert sum(n for _, _, n in grouped) == ViberApplication.objects.count()


def test_the_counts_request_reads_the_counts_and_nothing_else(redis_settings, settings, reviewer_client, many):
    settings.SESSION_ENGINE = "config.sessions"  # as with REDIS_URL set
    url = reverse("applications:queue-metrics") + "?state=A&review_status=new&counts=1"
    reviewer_client.get(url, HTTP_HX_REQUEST="true")  # fills the session and role caches
    cache.delete(filters_key({"state": "A", "review_status": "new"}))
    with CaptureQueriesContext(connection) as captured:
        response = reviewer_client.get(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert len(captured.captured_queries) == 1 and _counted(captured), captured.captured_queries


def test_a_page_number_beyond_any_offset_lands_on_the_last_page(viewer, client, many, soup_of):
    client.force_login(viewer)
    response = client.get(reverse("applications:queue") + "?page=99999999999999999999")
    assert response.status_code == 200
    assert "Page 2 of 2" in soup_of(response).select_one("#queue-pages").get_text()
