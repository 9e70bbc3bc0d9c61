"""Time in the current status: from what CAMS tells and what this app saw, labelled for what it is."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from applications import state_time
from tests.factories import make_application

CREATED = datetime(2025, 8, 29, 9, 30, tzinfo=UTC)
MODIFIED = datetime(2025, 10, 2, 14, 0, tzinfo=UTC)


def ms(moment: datetime) -> str:
    return str(int(moment.timestamp() * 1000))


def test_an_application_unmodified_since_creation_is_in_its_status_since_creation():
    since = state_time.state_since(first_seen=timezone.now(), gmt_create=CREATED, gmt_modified=CREATED)
    assert (since.at, since.basis, since.exact) == (CREATED, "created", True)


def test_first_seen_after_modifications_counts_at_least_from_the_last_modification():
    audit = MODIFIED + timedelta(days=1)
    since = state_time.state_since(
        first_seen=timezone.now(), gmt_create=CREATED, gmt_modified=MODIFIED, audit_time=audit
    )
    assert (since.at, since.basis, since.exact) == (audit, "modified", False)


def test_without_usable_times_it_counts_from_first_seen_and_a_seen_change_wins():
    seen = timezone.now() - timedelta(hours=3)
    assert state_time.state_since(first_seen=seen, gmt_create=CREATED).basis == "first_seen"
    later = seen + timedelta(hours=1)
    # Times CAMS reports after our first fetch cannot date the status: first seen stays the bound.
    assert state_time.state_since(first_seen=seen, gmt_create=CREATED, gmt_modified=later).at == seen
    changed = state_time.state_since(first_seen=seen, gmt_create=CREATED, gmt_modified=CREATED, change_seen_at=later)
    assert (changed.at, changed.basis) == (later, "changed")


@pytest.mark.django_db
def test_a_record_first_seen_mid_state_shows_honest_times_on_the_page_and_in_the_queue(logged_in, soup_of, text_of):
    waiting = make_application(
        RequestNo="9127397441", State="I", AuditResult="unAudit", GmtCreate=ms(CREATED), GmtModifier=ms(CREATED)
    )
    moved = make_application(
        RequestNo="9127397442", State="A", AuditResult="pass", GmtCreate=ms(CREATED), GmtModifier=ms(MODIFIED)
    )
    assert (waiting.state_since, waiting.state_since_basis) == (CREATED, "created")
    assert (moved.state_since, moved.state_since_basis) == (MODIFIED, "modified")

    page = soup_of(logged_in.get(reverse("applications:detail", args=["9127397441"])))
    in_status = text_of(page.select_one("#in-status"))
    assert "since 2025-08-29 09:30 UTC (created, not modified since)" in in_status
    assert "minutes" not in in_status and "≥" not in in_status

    queue = soup_of(logged_in.get(reverse("applications:queue"), {"sort": "in_state"}))
    rows = queue.select("table.queue-table tbody tr")
    cells = {text_of(row.select_one("td")): row.select_one(".in-state") for row in rows}
    assert cells["9127397441"]["title"].startswith("since 2025-08-29 09:30 UTC (created")
    assert not text_of(cells["9127397441"]).startswith("≥") and "month" in text_of(cells["9127397441"])
    assert text_of(cells["9127397442"]).startswith("≥")
    assert cells["9127397442"]["title"].startswith("at least since 2025-10-02 14:00 UTC (last modified in CAMS)")
    # The sort uses the same instant: longest in its status first.
    assert [text_of(row.select_one("td")) for row in rows] == ["9127397441", "9127397442"]


@pytest.mark.django_db
def test_a_change_seen_between_fetches_dates_the_new_status_and_later_fetches_keep_it():
    first = timezone.now() - timedelta(hours=2)
    make_application(RequestNo="9127397443", State="I", GmtCreate=ms(CREATED), GmtModifier=ms(CREATED), seen_at=first)
    change = first + timedelta(minutes=10)
    app = make_application(
        RequestNo="9127397443", State="A", GmtCreate=ms(CREATED), GmtModifier=ms(CREATED), seen_at=change
    )
    assert (app.state_since, app.state_since_basis) == (change, "changed")
    app = make_application(
        RequestNo="9127397443",
        State="A",
        GmtCreate=ms(CREATED),
        GmtModifier=ms(MODIFIED),
        seen_at=change + timedelta(minutes=10),
    )
    assert (app.state_since, app.state_since_basis) == (change, "changed")
