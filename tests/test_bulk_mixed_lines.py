"""Bulk lookup with good and bad lines: the good ones are looked up, each bad one reported by line."""

import csv
import io

import pytest
from django.urls import reverse

from applications.forms.bulk import BulkLookupForm
from applications.models import BulkLookup
from applications.services.bulk_lookup import bulk_lookup_run_chunk


def test_invalid_entries_are_kept_with_their_line_and_the_valid_ones_go_ahead():
    form = BulkLookupForm({"numbers": "5435435435\n<b>x</b>, 6660000001\n\n..\n5435435435"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["numbers"] == ["5435435435", "6660000001"]
    assert [(entry.line, entry.text) for entry in form.invalid_entries] == [(2, "<b>x</b>"), (4, "..")]


@pytest.mark.django_db
def test_a_batch_with_bad_lines_runs_and_reports_every_entry(reviewer_client, live_cams, soup_of, text_of):
    pasted = "5435435435\nnot/a/number\n0000000404\n6660000001"
    response = reviewer_client.post(reverse("applications:bulk-new"), {"numbers": pasted})
    assert response.status_code == 302
    bulk = BulkLookup.objects.get()
    assert bulk.total == 4
    pending = list(bulk.items.filter(outcome="pending").values_list("id", flat=True))
    assert len(pending) == 3  # the bad line is finished already
    bulk_lookup_run_chunk(bulk_id=bulk.pk, item_ids=pending)

    page = soup_of(reviewer_client.get(response["Location"]))
    rows = {
        text_of(row.select("td")[1]): [text_of(cell) for cell in row.select("td")]
        for row in page.select("#bulk-results tbody tr")
    }
    found = rows["5435435435"]
    assert found[2] == "Found" and found[3] == "english"  # CompanyEnglishName of the example
    assert "Active" in found[4] and "Approved" in found[5]  # State and AuditResult with labels
    missing = rows["0000000404"]
    assert missing[2] == "Not found" and "CAMS has no application" in missing[6]
    assert "OK" not in missing[6] and "failed" not in missing[6].lower()
    bad = rows["not/a/number"]
    assert bad[2] == "Not a request number" and bad[6].startswith("Line 2:")
    assert "not a request number 1" in text_of(page.select_one("#bulk-summary")).lower()

    export = reviewer_client.get(page.select_one("#bulk-export")["href"])
    assert export.status_code == 200 and export["Content-Type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))))
    assert lines[0][:6] == ["Position", "Request number", "Result", "Company", "State", "State code"]
    assert {line[1]: line[2] for line in lines[1:]} == {
        "5435435435": "Found",
        "0000000404": "Not found",
        "6660000001": "Found",
        "not/a/number": "Not a request number",
    }


@pytest.mark.django_db
def test_the_navigation_links_to_bulk_lookup_for_reviewers(reviewer_client, soup_of):
    nav = soup_of(reviewer_client.get(reverse("applications:home"))).select_one("nav.site-nav")
    assert nav.find("a", string="Bulk lookup")["href"] == reverse("applications:bulk-new")
