"""The admin: searchable, filterable and strictly read-only (CAMS owns the data)."""
import pytest
from django.urls import reverse

from applications.models import ApplicationSnapshot
from tests.factories import make_application

CHANGELIST = reverse("admin:applications_viberapplication_changelist")


@pytest.fixture
def two_applications(db):
    alpha = make_application(RequestNo="5435435435", State="A", AuditResult="pass", RequestType="viberOpen",
                             audit_record={
                                 "CompanyLegalName": "Alpha Foods GmbH", "CompanyEnglishName": "Alpha Foods",
                                 "BusinessAccountName": "AlphaEats", "BusinessLicenseRegistrationNumber": "HRB-11111",
                                 "ContactEmail": "ops@alpha.example", "ContactPhone": "+49301111111",
                                 "IndustryInvolved": "cateringServices"})
    beta = make_application(RequestNo="7000000001", State="I", AuditResult="auditing", RequestType="viberUpdate",
                            audit_record={
                                "CompanyLegalName": "ООО Бета", "CompanyEnglishName": "Beta Telecom",
                                "BusinessAccountName": "BetaCall", "BusinessLicenseRegistrationNumber": "77-22222",
                                "ContactEmail": "hello@beta.example", "ContactPhone": "+74952222222",
                                "IndustryInvolved": "telecommunications"})
    return alpha, beta


def listed(admin_client, **query):
    response = admin_client.get(CHANGELIST, query)
    assert response.status_code == 200
    return [app.request_no for app in response.context["cl"].result_list]


@pytest.mark.parametrize("term", [
    "5435435435",  # exact request number
    "54354",  # request number prefix
    "alpha foods gmbh",  # company legal name
    "Alpha Foods",  # English name
    "alphaeats",  # business account name
    "HRB-111",  # licence number prefix
    "ops@alpha",  # contact email
    "+4930",  # contact phone
])
def test_search_finds_the_right_application_by_each_field(admin_client, two_applications, term):
    assert listed(admin_client, q=term) == ["5435435435"]


def test_search_matches_a_request_number_only_from_its_start(admin_client, two_applications):
    assert listed(admin_client, q="35435") == []


def test_search_finds_the_other_application_too(admin_client, two_applications):
    assert listed(admin_client, q="Бета") == ["7000000001"]


@pytest.mark.parametrize("query, expected", [
    ({"state": "I"}, ["7000000001"]),
    ({"audit_result": "pass"}, ["5435435435"]),
    ({"request_type": "viberUpdate"}, ["7000000001"]),
    ({"industry": "cateringServices"}, ["5435435435"]),
])
def test_filters_narrow_the_list(admin_client, two_applications, query, expected):
    assert listed(admin_client, **query) == expected


def test_code_filters_offer_the_labels_of_the_code_table(admin_client, two_applications):
    content = admin_client.get(CHANGELIST).content.decode()
    assert "In review (I)" in content and "Under audit (auditing)" in content


def test_the_changelist_does_not_count_every_row(admin_client, two_applications):
    response = admin_client.get(CHANGELIST, {"q": "alpha"})
    assert response.context["cl"].show_full_result_count is False
    assert "Show all" in response.content.decode() and " total" not in response.content.decode()


def test_adding_an_application_is_forbidden(admin_client):
    assert admin_client.get(reverse("admin:applications_viberapplication_add")).status_code == 403


def test_the_change_page_is_view_only(admin_client, two_applications):
    alpha, _ = two_applications
    url = reverse("admin:applications_viberapplication_change", args=[alpha.pk])
    response = admin_client.get(url)
    assert response.status_code == 200
    content = response.content.decode()
    assert 'name="_save"' not in content and 'name="company_legal_name"' not in content
    assert "Alpha Foods GmbH" in content
    assert admin_client.post(url, {"company_legal_name": "edited"}).status_code == 403
    alpha.refresh_from_db()
    assert alpha.company_legal_name == "Alpha Foods GmbH"


def test_deleting_an_application_is_forbidden(admin_client, two_applications):
    alpha, _ = two_applications
    url = reverse("admin:applications_viberapplication_delete", args=[alpha.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 403
    assert alpha.__class__.objects.filter(pk=alpha.pk).exists()


def test_snapshots_and_state_changes_show_inline_without_add_or_delete(admin_client, db):
    make_application(State="I", AuditResult="auditing")
    app = make_application()
    response = admin_client.get(reverse("admin:applications_viberapplication_change", args=[app.pk]))
    inlines = {formset.formset.prefix: formset for formset in response.context["inline_admin_formsets"]}
    assert set(inlines) == {"snapshots", "events"}
    for formset in inlines.values():
        assert not (formset.has_add_permission or formset.has_change_permission or formset.has_delete_permission)
    content = response.content.decode()
    assert 'name="snapshots-0-DELETE"' not in content
    assert content.count("auditing") >= 2  # the first snapshot and the event


def test_snapshots_are_read_only_too(admin_client, db):
    make_application()
    snapshot = ApplicationSnapshot.objects.get()
    assert admin_client.get(reverse("admin:applications_applicationsnapshot_add")).status_code == 403
    url = reverse("admin:applications_applicationsnapshot_change", args=[snapshot.pk])
    assert 'name="_save"' not in admin_client.get(url).content.decode()
    assert admin_client.post(url, {"state": "X"}).status_code == 403
