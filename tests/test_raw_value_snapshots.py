"""A change only in a raw value writes a snapshot whose diff shows it: store, refresh, page."""

import pytest
from django.urls import reverse

from applications.diffing import snapshot_changes
from applications.sandbox.dataset import EXAMPLE_REQUEST_NO
from applications.services.refresh import Outcome, application_refresh
from applications.views.review_presenters import snapshot_diffs
from tests.factories import example_body, make_application

pytestmark = pytest.mark.django_db


def test_two_answers_differing_only_in_an_implausible_audit_time_store_two_snapshots_and_a_diff():
    make_application(AuditTime="-5")
    app = make_application(AuditTime="1785465")
    first, second = app.snapshots.order_by("seen_at", "id")
    assert first.content_hash != second.content_hash
    assert first.document["audit_time"] is None and second.document["audit_time"] is None
    assert [(c.path, c.before, c.after) for c in snapshot_changes(first.document, second.document)] == [
        ("AuditTime (raw)", '"-5"', '"1785465"')
    ]
    assert app.document["as_sent"]["AuditTime"] == "1785465"
    assert app.audit_time is None


def test_a_refresh_through_the_simulator_stores_the_raw_audit_time_change(live_cams):
    # Stored with another implausible AuditTime; the simulator answers the document's example,
    # whose AuditTime "1785465" is implausible too: parsed both times as nothing.
    app = make_application(AuditTime="-1")
    assert application_refresh(application_id=app.pk) == Outcome.CHANGED
    assert app.snapshots.count() == 2
    (latest, _first) = snapshot_diffs(app)
    assert [(row.path, row.before, row.after) for row in latest.changes] == [("AuditTime (raw)", '"-1"', '"1785465"')]
    app.refresh_from_db()
    assert app.document["implausible_times"] == ["AuditTime", "GmtModifier"]
    assert application_refresh(application_id=app.pk) == Outcome.UNCHANGED
    assert app.snapshots.count() == 2


def test_the_page_shows_null_empty_and_missing_differently(logged_in, soup_of, text_of):
    body = example_body()["Data"]
    make_application(Reason="", audit_record={"ContactName": "", "ApplyReason": "aaa"})
    make_application(data={**body, "Reason": None, "AuditRecord": {**body["AuditRecord"], "ContactName": None}})
    make_application(Reason="", audit_record={"ApplyReason": None, "NewField": ""})
    page = soup_of(logged_in.get(reverse("applications:detail", args=[EXAMPLE_REQUEST_NO])))
    newest, older = page.select("#changes table.diff-table")[:2]

    def cells(table):
        return {
            text_of(row.select("td")[0]): [text_of(cell) for cell in row.select("td")[1:]]
            for row in table.select("tbody tr")
        }

    assert cells(older)["Reason"] == ["changed", "(empty)", "null"]
    assert cells(older)["ContactName"] == ["changed", "(empty)", "null"]
    assert cells(newest)["Reason"] == ["changed", "null", "(empty)"]
    assert cells(newest)["ApplyReason"] == ["removed", "aaa", "—"]
    assert cells(newest)["NewField"] == ["added", "—", "(empty)"]
