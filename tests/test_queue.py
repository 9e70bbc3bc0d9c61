"""The review queue page, its filters, counts, export and metrics; review POSTs and permissions."""

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone

from applications.models import ReviewLogEntry, ViberApplication
from applications.selectors.queue import queue_metrics, queue_page
from applications.services.review import review_assign, review_set_status
from tests.factories import make_application

pytestmark = pytest.mark.django_db


def ms(year, month, day) -> str:
    return str(int(datetime(year, month, day, tzinfo=UTC).timestamp() * 1000))


@pytest.fixture
def apps():
    """Four applications that differ in every filterable column."""
    return {
        "rejected": make_application(
            RequestNo="1001",
            State="I",
            AuditResult="reject",
            RequestType="viberOpen",
            GmtCreate=ms(2025, 3, 1),
            audit_record={
                "CompanyEnglishName": "Acme Foods",
                "IndustryInvolved": "food",
                "MessageDestinationCountry": ['["49|DE"]'],
            },
        ),
        "auditing": make_application(
            RequestNo="1002",
            State="I",
            AuditResult="auditing",
            RequestType="viberUpdate",
            GmtCreate=ms(2025, 4, 1),
            audit_record={"CompanyEnglishName": "Bolt Travel", "IndustryInvolved": "travel"},
        ),
        "active": make_application(
            RequestNo="2001",
            State="A",
            AuditResult="pass",
            RequestType="viberOpen",
            GmtCreate=ms(2025, 5, 1),
            AuditTime=ms(2025, 5, 3),
            audit_record={"CompanyEnglishName": "Cedar Bank", "IndustryInvolved": "finance"},
        ),
        "spaced": make_application(
            RequestNo="3001",
            cust_space_id="space-9",
            State="A",
            AuditResult="pass",
            RequestType="viberCountry",
            GmtCreate=ms(2025, 6, 1),
            audit_record={"CompanyEnglishName": "Delta <script>alert(1)</script>"},
        ),
    }


def numbers(response) -> list[str]:
    soup = BeautifulSoup(response.content, "html.parser")
    return [row.find("td").find("a").get_text(strip=True) for row in soup.select("table.queue-table tbody tr")]


@pytest.mark.parametrize(
    "query, expected",
    [
        ("", ["3001", "2001", "1002", "1001"]),
        ("state=I", ["1002", "1001"]),
        ("audit_result=reject", ["1001"]),
        ("request_type=viberOpen", ["2001", "1001"]),
        ("industry=travel", ["1002"]),
        ("country=DE", ["1001"]),
        ("cust_space_id=space-9", ["3001"]),
        ("q=acme", ["1001"]),
        ("q=100", ["1002", "1001"]),
        ("created_from=2025-04-01&created_to=2025-05-01", ["2001", "1002"]),
        ("sort=request_no", ["1001", "1002", "2001", "3001"]),
        ("sort=-company", ["3001", "2001", "1002", "1001"]),
        ("state=I&sort=created", ["1001", "1002"]),
    ],
)
def test_filters_and_sorting(client, viewer, apps, query, expected):
    client.force_login(viewer)
    response = client.get(f"{reverse('applications:queue')}?{query}")
    assert response.status_code == 200
    assert numbers(response) == expected


def test_review_status_and_assignee_filters(client, reviewer, apps):
    review_set_status(application=apps["auditing"], status="escalated", actor=reviewer)
    review_assign(application=apps["active"], assignee=reviewer, actor=reviewer)
    client.force_login(reviewer)
    url = reverse("applications:queue")
    assert numbers(client.get(url + "?review_status=escalated")) == ["1002"]
    assert numbers(client.get(url + "?assignee=me")) == ["2001"]
    assert numbers(client.get(url + f"?assignee={reviewer.pk}")) == ["2001"]
    assert "2001" not in numbers(client.get(url + "?assignee=none"))


def test_invalid_filters_are_reported_and_ignored(client, viewer, apps):
    client.force_login(viewer)
    response = client.get(reverse("applications:queue") + "?created_from=not-a-date&state=I")
    assert response.status_code == 200
    assert numbers(response) == ["1002", "1001"]
    assert "Enter a valid date" in response.content.decode()


def test_counts_per_state_and_audit_result_follow_the_filters(viewer, apps):
    page = queue_page(filters={"request_type": "viberOpen"})
    assert page.total == 2
    assert {code: n for code, _, n in page.state_counts} == {"I": 1, "A": 1}
    assert {code: n for code, _, n in page.audit_counts} == {"reject": 1, "pass": 1}


def test_pages_and_the_sort_links_keep_the_filters(client, viewer, apps, soup_of):
    client.force_login(viewer)
    page = queue_page(filters={}, page=2, page_size=3)
    assert (page.number, page.pages, [a.request_no for a in page.rows]) == (2, 2, ["1001"])
    response = client.get(reverse("applications:queue") + "?state=I")
    soup = soup_of(response)
    sort_links = [a["href"] for a in soup.select("table.queue-table thead a")]
    assert sort_links and all("state=I" in href for href in sort_links)
    assert soup.select_one('th[aria-sort="descending"]').get_text(strip=True).startswith("Created")


def test_upstream_strings_are_escaped_in_the_queue(client, viewer, apps):
    client.force_login(viewer)
    body = client.get(reverse("applications:queue")).content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_the_export_downloads_the_filtered_queue(client, viewer, apps):
    apps["rejected"].reason = '=HYPERLINK("http://x")'
    ViberApplication.objects.filter(pk=apps["rejected"].pk).update(reason='=HYPERLINK("http://x")')
    client.force_login(viewer)
    response = client.get(reverse("applications:queue-export") + "?state=I&sort=request_no")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff"))))
    assert [row[0] for row in rows[1:]] == ["1001", "1002"]
    assert rows[1][rows[0].index("Audit comment")] == '\'=HYPERLINK("http://x")'


def test_metrics_waiting_oldest_and_audit_durations(client, viewer, apps):
    now = datetime(2025, 5, 20, tzinfo=UTC)
    ViberApplication.objects.filter(pk=apps["spaced"].pk).update(
        audit_time=datetime(2025, 5, 10, tzinfo=UTC), gmt_create=datetime(2025, 5, 6, tzinfo=UTC)
    )
    metrics = queue_metrics(period_days=30, now=now)
    assert metrics["waiting_total"] == 2
    assert [(code, n) for code, _, n in metrics["waiting"]] == [("I", 2)]
    assert metrics["oldest"].request_no == "1001"
    assert metrics["audited"] == 2  # 2 days and 4 days
    assert metrics["median"] == timedelta(days=3)
    assert metrics["p90"] == timedelta(days=3, hours=19, minutes=12)
    client.force_login(viewer)
    fragment = client.get(reverse("applications:queue-metrics") + "?period=90", HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200 and b"<html" not in fragment.content and b"Oldest pending" in fragment.content
    page = client.get(reverse("applications:queue-metrics"))
    assert b"<html" in page.content


def test_the_queue_needs_a_login(client):
    response = client.get(reverse("applications:queue"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- review actions through the pages ---------------------------------------------------------


def test_a_viewer_sees_the_review_but_no_buttons_and_posts_answer_403(client, viewer, apps, soup_of):
    application = apps["rejected"]
    client.force_login(viewer)
    page = client.get(reverse("applications:detail", args=["1001"]))
    soup = soup_of(page)
    assert soup.select_one("#review") is not None
    assert soup.select("#review form") == []
    for name, data in (
        ("review-status", {"status": "resolved", "note": "x"}),
        ("review-assign", {"assignee": str(viewer.pk)}),
        ("review-note", {"note": "hi"}),
    ):
        response = client.post(reverse(f"applications:{name}", args=[application.pk]), data)
        assert response.status_code == 403
    assert client.post(reverse("applications:bulk-new"), {"numbers": "1001"}).status_code == 403
    assert ReviewLogEntry.objects.count() == 0
    application.refresh_from_db()
    assert application.review_status == "new"


def test_a_reviewer_changes_status_assigns_and_notes_and_the_log_shows_it(client, reviewer, apps, soup_of):
    application = apps["rejected"]
    client.force_login(reviewer)
    detail = reverse("applications:detail", args=["1001"])
    response = client.post(reverse("applications:review-status", args=[application.pk]), {"status": "resolved"})
    assert response.status_code == 400  # rejected: resolving needs a note, shown next to the note field
    application.refresh_from_db()
    assert application.review_status == "new"
    client.post(
        reverse("applications:review-status", args=[application.pk]),
        {"status": "resolved", "note": "Customer gave up <b>for now</b>"},
    )
    client.post(reverse("applications:review-assign", args=[application.pk]), {"assignee": str(reviewer.pk)})
    client.post(reverse("applications:review-note", args=[application.pk]), {"note": "Called them"})
    application.refresh_from_db()
    assert (application.review_status, application.assignee) == ("resolved", reviewer)
    body = client.get(detail).content.decode()
    soup = soup_of(body)
    log = [[cell.get_text(strip=True) for cell in row.find_all("td")] for row in soup.select("#review-log tbody tr")]
    assert [row[1:5] for row in log] == [
        ["rita", "Note added", "—", "—"],
        ["rita", "Assignee changed", "—", "rita"],
        ["rita", "Status changed", "New", "Resolved"],
    ]
    assert "Customer gave up &lt;b&gt;for now&lt;/b&gt;" in body


def test_the_application_page_shows_what_changed_between_snapshots(client, viewer, soup_of):
    make_application(
        RequestNo="4001",
        AuditResult="reject",
        seen_at=timezone.now() - timedelta(days=1),
        audit_record={"CompanyTel": [{"CompanyTelTitle": "Office", "CompanyTelNumber": "111"}]},
    )
    make_application(
        RequestNo="4001",
        AuditResult="auditing",
        audit_record={"CompanyTel": [{"CompanyTelTitle": "Office", "CompanyTelNumber": "<222>"}]},
    )
    client.force_login(viewer)
    soup = soup_of(client.get(reverse("applications:detail", args=["4001"])))
    newest = soup.select("#changes details")[0]
    rows = {tuple(cell.get_text(strip=True) for cell in row.find_all("td")) for row in newest.select("tbody tr")}
    assert ("AuditResult", "changed", "reject", "auditing") in rows
    assert ("CompanyTel[1].CompanyTelNumber", "changed", "111", "<222>") in rows
    assert "first copy stored" in soup.select("#changes details")[1].get_text()


# --- XLSX download, cached counts, filter form markup ------------------------------------------


def test_the_xlsx_download_link_keeps_the_filters_and_exports_them(client, viewer, apps, soup_of):
    from openpyxl import load_workbook

    ViberApplication.objects.filter(pk=apps["rejected"].pk).update(reason="@SUM(A1)")
    client.force_login(viewer)
    soup = soup_of(client.get(reverse("applications:queue") + "?state=I&sort=request_no"))
    link = soup.select_one("#export-xlsx")["href"]
    assert link.startswith(reverse("applications:queue-export-xlsx"))
    assert "state=I" in link and "sort=request_no" in link
    response = client.get(link)
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert [row[0] for row in rows[1:]] == ["1001", "1002"]
    assert rows[1][rows[0].index("Audit comment")] == "'@SUM(A1)"
    assert not any(cell.data_type == "f" for row in sheet.iter_rows() for cell in row)


def test_counts_are_cached_briefly_per_filter_set_and_the_page_says_when(client, viewer, apps, soup_of):
    client.force_login(viewer)
    url = reverse("applications:queue") + "?state=I"
    first = soup_of(client.get(url))
    assert first.select_one("#counts-title").get_text(strip=True).startswith("2 applications")
    assert "Counts as of" in first.select_one("#counts-as-of").get_text()
    make_application(RequestNo="1003", State="I", AuditResult="auditing")
    again = soup_of(client.get(url))
    assert again.select_one("#counts-title").get_text(strip=True).startswith("2 applications")  # cached
    assert "1003" in numbers(client.get(url))  # the table itself is live
    other = soup_of(client.get(url + "&sort=request_no"))  # same filters, same counts
    assert other.select_one("#counts-title").get_text(strip=True).startswith("2 applications")
    fresh = soup_of(client.get(url + "&audit_result=auditing"))
    assert fresh.select_one("#counts-title").get_text(strip=True).startswith("2 applications")  # 1002 and 1003


def test_assigned_to_me_counts_are_per_user(client, reviewer, apps, make_user):
    other = make_user("otto", "reviewers")
    review_assign(application=apps["active"], assignee=reviewer, actor=reviewer)
    assert queue_page(filters={"assignee": "me"}, user=reviewer).total == 1
    assert queue_page(filters={"assignee": "me"}, user=other).total == 0


def test_the_filter_selects_keep_their_markup_and_selection(client, viewer, apps, soup_of):
    client.force_login(viewer)
    soup = soup_of(client.get(reverse("applications:queue") + "?country=DE&state=I&sort=company"))
    country = soup.select_one('select[name="country"]')
    assert country["id"] == "id_country" and soup.select_one('label[for="id_country"]') is not None
    assert [option["value"] for option in country.select("option[selected]")] == ["DE"]
    assert soup.select_one('select[name="state"] option[selected]')["value"] == "I"
    assert soup.select_one('select[name="sort"] option[selected]')["value"] == "company"
    assert soup.select_one('select[name="review_status"] option[selected]')["value"] == ""
