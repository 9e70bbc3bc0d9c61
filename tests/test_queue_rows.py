"""The queue's rows built in Python (views/queue_rows.py) show what the template they replaced showed.

The template is kept here as the reference: the same applications, hostile strings included,
through both, compared as parsed HTML in English and Chinese and in another time zone.
"""

import zoneinfo
from datetime import timedelta
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.template import Context, Template
from django.utils import timezone, translation

from applications.models import ViberApplication
from applications.views.queue_rows import queue_rows_html
from tests.factories import make_application

pytestmark = pytest.mark.django_db

REFERENCE = Template((Path(__file__).parent / "data" / "queue_rows_reference.html").read_text(encoding="utf-8"))

HOSTILE = '<script>alert("x")</script>\u202eevil & co'


@pytest.fixture
def rows(make_user):
    reviewer = make_user("rina", "reviewers", first_name="Rina", last_name="<b>Ross</b>")
    make_application()
    make_application(
        RequestNo="1000000002",
        cust_space_id="space\u202e<i>x</i>",
        State="unknown<code>",
        AuditResult="",
        RequestType="",
        Reason="r" * 200,
        audit_record={"CompanyEnglishName": HOSTILE, "BusinessAccountName": HOSTILE},
    )
    make_application(
        RequestNo="1000000003",
        AuditTime=None,
        GmtCreate=None,
        audit_record={"CompanyLegalName": "Legal only", "CompanyEnglishName": ""},
    )
    ViberApplication.objects.filter(request_no="1000000003").update(
        assignee=reviewer, state_since=timezone.now() - timedelta(days=40), state_since_basis="modified"
    )
    return list(ViberApplication.objects.select_related("assignee").order_by("request_no"))


def _parsed(markup):
    return [
        [(cell.decode_contents().strip()) for cell in row.find_all("td")]
        for row in BeautifulSoup(f"<table>{markup}</table>", "html.parser").find_all("tr")
    ]


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("zone", ["UTC", "Asia/Shanghai"])
def test_python_rows_match_the_template(rows, language, zone):
    with translation.override(language), timezone.override(zoneinfo.ZoneInfo(zone)):
        expected = REFERENCE.render(Context({"page": {"rows": rows}}))
        built = queue_rows_html(rows)
    assert _parsed(built) == _parsed(expected)
    assert len(_parsed(built)) == 3
    assert "<script>" not in built and "&lt;script&gt;" in built
    assert "\u202e" not in built


def test_the_queue_pages_own_rows_render_as_the_models_do(rows):
    """queue_page reads plain rows (selectors.queue.QueueRow), not model instances: same markup."""
    from applications.selectors.queue import queue_page

    page_rows = queue_page(filters={}, sort="request_no").rows
    assert [row.request_no for row in page_rows] == [app.request_no for app in rows]
    assert not isinstance(page_rows[0], ViberApplication)
    with translation.override("zh-hans"), timezone.override(zoneinfo.ZoneInfo("Asia/Shanghai")):
        assert str(queue_rows_html(page_rows)) == str(queue_rows_html(rows))


@pytest.mark.parametrize("request_no", ["1000000001", "ab_C-9", "a.b", "a~b", "a b", "数字", "%41"])
@pytest.mark.parametrize("space", ["", "space-1", "a&b <c>"])
def test_row_links_are_the_applications_own_address(request_no, space):
    from applications.views.queue_rows import _detail_template, _text, _url

    app = ViberApplication(request_no=request_no, cust_space_id=space)
    assert _url(app, _detail_template()) == _text(app.get_absolute_url())


def test_the_pages_rows_read_the_values_the_orm_reads(rows):
    """On PostgreSQL the rows come from SQL written once per process: the same values as the ORM's."""
    from applications.selectors.queue import _ASSIGNEE_COLUMNS, LIST_COLUMNS, _row_values

    ids = [app.pk for app in rows]
    orm = ViberApplication.objects.filter(pk__in=ids).values_list(*LIST_COLUMNS, *_ASSIGNEE_COLUMNS)
    assert sorted(_row_values(ids)) == sorted(orm)
    assert any(values[-3] == "rina" for values in _row_values(ids))  # the assignee is joined
