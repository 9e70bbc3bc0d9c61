"""The application changelist writes its rows itself (applications/admin/changelist.py): the same HTML as Django's."""

import re

import pytest
from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.admin.templatetags.admin_list import admin_list_filter, items_for_result, result_list
from django.contrib.admin.views.main import ChangeList
from django.db import connection
from django.template import TemplateDoesNotExist
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse

from applications.admin.applications import ViberApplicationAdmin
from applications.admin.changelist import FastRowsChangeList, RowPlan, Unsupported, filter_html
from applications.models import ReviewStatus, ViberApplication
from tests.factories import make_application

CHANGELIST = reverse("admin:applications_viberapplication_changelist")
pytestmark = pytest.mark.django_db

HOSTILE = '<script>alert("x")</script> & \u202eevil\u202c "quoted"'


@pytest.fixture
def applications(admin_user):
    hostile = make_application(
        RequestNo="6660000042",
        State="<b>S</b>",  # an unknown code, shown as itself
        AuditResult="pass",
        audit_record={"CompanyEnglishName": HOSTILE, "ContactEmail": "x@hostile.example"},
    )
    legal_only = make_application(
        RequestNo="7000000002",
        State="I",
        AuditResult="auditing",
        RequestType="viberUpdate",
        audit_record={"CompanyEnglishName": None, "CompanyLegalName": "ООО Бета & Co"},
    )
    unnamed = make_application(
        RequestNo="7000000003", audit_record={"CompanyEnglishName": None, "CompanyLegalName": None}
    )
    ViberApplication.objects.filter(pk=legal_only.pk).update(assignee=admin_user, review_status=ReviewStatus.values[-1])
    ViberApplication.objects.filter(pk=unnamed.pk).update(review_status="no-such-status", fetched_at=None)
    return hostile, legal_only, unnamed


def changelist(admin_user, query=None, changelist_class=None):
    request = RequestFactory().get(CHANGELIST, query or {})
    request.user = admin_user
    request.resolver_match = resolve(CHANGELIST)
    model_admin = admin.site._registry[ViberApplication]
    if changelist_class:
        model_admin = type(
            "Probe", (ViberApplicationAdmin,), {"get_changelist": lambda self, r, **k: changelist_class}
        )(ViberApplication, admin.site)
    return model_admin.get_changelist_instance(request)


def django_rows(cl):
    return ["".join(items_for_result(cl, obj, None)) for obj in cl.result_list]


def our_rows(cl):
    return ["".join(row) for row in cl.result_list_context["results"]]


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"q": "7000000002"},
        {"state": "I", "o": "2.-8"},  # a filter and a sort: the links carry them as preserved filters
        {"q": "evil", "review_status": ReviewStatus.values[-1]},
    ],
)
def test_each_row_is_the_html_django_would_write(admin_user, applications, query):
    cl = changelist(admin_user, query)
    assert isinstance(cl, FastRowsChangeList)
    ours = our_rows(cl)
    assert ours == django_rows(cl)
    assert len(ours) == len(cl.result_list)


def test_the_rows_cover_every_kind_of_cell(admin_user, applications):
    rows = our_rows(changelist(admin_user))
    page = "".join(rows)
    assert "&lt;script&gt;" in page and "<script>" not in page  # upstream text escaped
    assert "[U+202E]" in page  # bidi controls shown as markers
    assert "&lt;b&gt;S&lt;/b&gt;" in page  # an unknown code, escaped
    assert f'<td class="field-assignee nowrap">{admin_user.username}</td>' in page
    assert '<td class="field-assignee nowrap">-</td>' in page  # no assignee: the empty value
    assert '<td class="field-review_status">-</td>' in page  # a value outside the choices
    assert re.search(r'<th class="field-request_no"><a href="/admin/applications/viberapplication/\d+/change/', page)


def test_headers_and_the_rest_of_the_context_are_djangos(admin_user, applications):
    cl = changelist(admin_user, {"o": "2.-8"})
    stock = result_list(changelist(admin_user, {"o": "2.-8"}))
    ours = cl.result_list_context
    assert ours["result_headers"] == stock["result_headers"]
    assert ours["num_sorted_fields"] == stock["num_sorted_fields"] == 2
    assert ours["result_hidden_fields"] == stock["result_hidden_fields"]
    assert ["".join(row) for row in stock["results"]] == our_rows(cl)


def normalised(response) -> str:
    """The page without what differs between two requests (the CSRF token, the CSP nonce)."""
    assert response.status_code == 200
    page = response.content.decode()
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', 'name="csrfmiddlewaretoken"', page)
    return re.sub(r'nonce="[^"]*"', "nonce", page)


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"q": "7000000", "o": "-2"},
        {"state": "I", "review_status": ReviewStatus.values[-1], "gmt_create__gte": "2020-01-01 00:00:00+00:00"},
        {"q": "evil", "_facets": "1"},
        {"q": "7000000", "language": "zh-hans"},
    ],
)
def test_the_page_is_the_one_djangos_changelist_and_templates_write(admin_client, applications, monkeypatch, query):
    query = dict(query)
    headers = {"HTTP_ACCEPT_LANGUAGE": query.pop("language", "en")}
    ours = normalised(admin_client.get(CHANGELIST, query, **headers))
    monkeypatch.setattr(ViberApplicationAdmin, "get_changelist", lambda self, request, **kwargs: ChangeList)
    monkeypatch.setattr(ViberApplicationAdmin, "change_list_template", "admin/change_list.html")
    monkeypatch.setattr(ViberApplicationAdmin, "action_form", helpers.ActionForm)
    stock = normalised(admin_client.get(CHANGELIST, query, **headers))
    assert ours == stock
    assert '<div class="results">' in ours and "<details" in ours
    assert f'lang="{headers["HTTP_ACCEPT_LANGUAGE"]}"' in ours
    assert '<select name="action" required>' in ours


def test_a_filter_with_its_own_template_is_rendered_by_django(admin_user, applications):
    cl = changelist(admin_user)
    spec = cl.filter_specs[0]
    spec.template = "admin/filter.html"
    ours = filter_html(cl, spec)
    assert ours == admin_list_filter(cl, spec)
    spec.template = "admin/missing_filter_template.html"
    with pytest.raises(TemplateDoesNotExist):
        filter_html(cl, spec)


def test_an_editable_or_popup_list_falls_back_to_djangos_rows(admin_user, applications):
    cl = changelist(admin_user, {"_popup": "1"})
    with pytest.raises(Unsupported):
        RowPlan(cl)
    assert our_rows(cl) == django_rows(cl)


def test_the_selection_checkbox_is_the_markup_format_html_wrote(applications):
    from django.contrib.admin import helpers
    from django.utils.html import format_html
    from django.utils.translation import gettext_lazy, override

    hostile = applications[0]
    model_admin = admin.site._registry[ViberApplication]
    for language in ("en", "zh-hans"):
        with override(language):
            before = format_html(
                '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
                helpers.ACTION_CHECKBOX_NAME,
                hostile.pk,
                format_html(gettext_lazy("Select this object for an action - {}"), hostile),
            )
            assert model_admin.action_checkbox(hostile) == before
    assert "&lt;script&gt;" in before


def test_the_list_loads_only_its_columns_and_reads_no_row_again(admin_client, applications):
    def queries(**query):
        with CaptureQueriesContext(connection) as captured:
            response = admin_client.get(CHANGELIST, query)
        assert response.status_code == 200
        return [q["sql"] for q in captured.captured_queries]

    queries()  # the user, the cached choices
    two, one, three = queries(q="700000000"), queries(q="7000000003"), queries()
    assert len(two) == len(one)  # the same queries for one row and for two
    assert not [sql for sql in two + three if '"applications_viberapplication"."id" = ' in sql]  # no row read again
    listing = [sql for sql in three if sql.startswith('SELECT "applications_viberapplication"."id", ')]
    assert listing and '"audit_record"' not in listing[-1] and '"password"' not in listing[-1]


@pytest.mark.parametrize(
    ("new_params", "remove"),
    [
        (None, None),
        ({"state": "A"}, None),
        ({"state": None, "o": "2.-8"}, ["gmt_create__"]),
        ({"gmt_create__gte": "2026-01-01 00:00:00+00:00", "gmt_create__lt": None}, ["gmt_create__"]),
        ({"q": "Ölgesellschaft & Söhne", "p": 3, "industry": []}, ["review_status", "assignee"]),
        ({"cust_space_id": ["cs-1", "cs 2"]}, ["q"]),
    ],
)
def test_each_link_query_string_is_djangos(admin_user, applications, new_params, remove):
    query = {"q": "a&b=c ü", "state": "I", "gmt_create__gte": "2020-01-01 00:00:00+00:00", "o": "-2"}
    ours = changelist(admin_user, query)
    stock = changelist(admin_user, query, changelist_class=ChangeList)
    for _ in range(2):  # the second time from the page's memo
        assert ours.get_query_string(new_params, remove) == stock.get_query_string(new_params, remove)


@pytest.mark.parametrize(
    "choices",
    [
        [("", "---------"), ("refresh", 'Refresh <b>"now"</b> & later'), ("assign_to_7", "Assign to <rita>")],
        [("", "---------"), ("Group <1>", [("a", "A"), ("b", "B & b")]), ("c", "C")],  # option groups: Django's
    ],
)
@pytest.mark.parametrize("value", [None, "refresh", "b"])
def test_the_action_menu_is_the_markup_djangos_select_writes(choices, value):
    from django import forms

    from applications.admin.widgets import ActionSelect

    for attrs in (None, {"required": True, "data-x": 'a"b', "disabled": False}):
        ours = ActionSelect(choices=choices).render("action", value, attrs)
        assert ours == forms.Select(choices=choices).render("action", value, attrs)
    assert "&lt;" in ours and "<b>" not in ours
