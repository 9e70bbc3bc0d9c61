"""The queue's rows built in Python (views/queue_rows.py) show what the template they replaced showed.

The template is kept here as the reference: the same applications, hostile strings included,
through both, compared as parsed HTML in English and Chinese and in another time zone.
"""

import zoneinfo
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.template import Context, Template
from django.utils import timezone, translation

from applications.models import ViberApplication
from applications.views.queue_rows import queue_rows_html
from tests.factories import make_application

pytestmark = pytest.mark.django_db

REFERENCE = Template(
    """{% load i18n safety display %}"""
    """          {% for app in page.rows %}
            <tr>
              <td class="nowrap"><a class="request-no" href="{{ app.get_absolute_url }}">{{ app.request_no }}</a>{% if app.cust_space_id %} <span class="muted small">{% blocktranslate with space=app.cust_space_id|mark_bidi %}space {{ space }}{% endblocktranslate %}</span>{% endif %}</td>
              <td>{{ app.company_english_name|default:app.company_legal_name|default:"—"|mark_bidi }}</td>
              <td>{{ app.business_account_name|default:"—"|mark_bidi }}</td>
              <td>{% include "applications/_code.html" with info=app.request_type_info %}</td>
              <td class="nowrap"><span class="badge badge-{{ app.state_info.tone }}">{{ app.state_info.label }}</span></td>
              <td class="nowrap"><span class="badge badge-{{ app.audit_result_info.tone }}">{{ app.audit_result_info.label }}</span></td>
              <td class="reason">{{ app.reason|truncatechars:80|default:"—"|mark_bidi }}</td>
              <td class="nowrap">{% if app.gmt_create %}<time datetime="{{ app.gmt_create|date:'c' }}">{{ app.gmt_create|date:"Y-m-d H:i" }}</time>{% else %}—{% endif %}</td>
              <td class="nowrap">{% if app.audit_time %}<time datetime="{{ app.audit_time|date:'c' }}">{{ app.audit_time|date:"Y-m-d H:i" }}</time>{% else %}—{% endif %}</td>
              <td class="nowrap"><span class="in-state" title="{{ app|in_state_label }}">{{ app|in_state_for }}</span></td>
              <td>{{ app.get_review_status_display }}</td>
              <td>{% if app.assignee %}{{ app.assignee.get_full_name|default:app.assignee.username }}{% else %}<span class="muted">—</span>{% endif %}</td>
            </tr>
          {% endfor %}
"""
)

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
