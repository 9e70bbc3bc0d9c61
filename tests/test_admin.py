"""The admin: searchable, filterable, strictly read-only (CAMS owns the data), with safe actions.

These run on SQLite locally and on PostgreSQL under CI; PostgreSQL-only checks (indexes used,
estimated counts) are in test_admin_search_pg.py.
"""

import csv
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications.models import ApplicationSnapshot, ReviewLogEntry, ViberApplication
from applications.services.review import review_set_status
from tests.factories import make_application

CHANGELIST = reverse("admin:applications_viberapplication_changelist")


@pytest.fixture
def two_applications(db):
    alpha = make_application(
        RequestNo="5435435435",
        State="A",
        AuditResult="pass",
        RequestType="viberOpen",
        audit_record={
            "CompanyLegalName": "Alpha Foods GmbH",
            "CompanyEnglishName": "Alpha Foods",
            "BusinessAccountName": "AlphaEats",
            "BusinessLicenseRegistrationNumber": "HRB-11111",
            "ContactEmail": "ops@alpha.example",
            "ContactPhone": "+49301111111",
            "IndustryInvolved": "cateringServices",
            "ContactName": "Jonas Weber",
        },
    )
    beta = make_application(
        RequestNo="7000000001",
        State="I",
        AuditResult="auditing",
        RequestType="viberUpdate",
        audit_record={
            "CompanyLegalName": "ООО Бета",
            "CompanyEnglishName": "Beta Telecom",
            "BusinessAccountName": "BetaCall",
            "BusinessLicenseRegistrationNumber": "77-22222",
            "ContactEmail": "hello@beta.example",
            "ContactPhone": "+74952222222",
            "IndustryInvolved": "telecommunications",
            "ContactName": "Ольга Смирнова",
            "MessageDestinationCountry": ["7|RU"],
            "MessageDestinationInternationalCountry": ["86|CN"],
        },
        cust_space_id="cs-beta",
        GmtCreate="1767225600000",
        AuditTime="1767312000000",
    )  # 1 and 2 Jan 2026
    return alpha, beta


def listed(admin_client, **query):
    response = admin_client.get(CHANGELIST, query)
    assert response.status_code == 200
    return [app.request_no for app in response.context["cl"].result_list]


@pytest.mark.parametrize(
    "term",
    [
        "5435435435",  # exact request number
        "54354",  # request number prefix
        "alpha foods gmbh",  # company legal name
        "Alpha Foods",  # English name
        "alphaeats",  # business account name
        "HRB-111",  # licence number prefix
        "ops@alpha",  # contact email
        "+4930",  # contact phone
        "49301111",  # contact phone without the "+"
        "HRB-111",  # licence number
        "11111",  # licence number, middle
        "jonas",  # contact name
        "Weber",  # contact name, second word
        "lpha.exam",  # contact email, middle
        "Albania",  # destination country (international) by name
        "ES",  # destination country (local) by code; the example writes it "61|es"
        "Spain",
        '"alpha foods"',  # a quoted phrase is one term
    ],
)
def test_search_finds_the_right_application_by_each_field(admin_client, two_applications, term):
    assert listed(admin_client, q=term) == ["5435435435"]


def test_search_matches_a_request_number_only_from_its_start(admin_client, two_applications):
    assert listed(admin_client, q="35435") == []


@pytest.mark.parametrize("term", ["Бета", "Смирнова", "Russia", "CN", "hello@beta", "77-222"])
def test_search_finds_the_other_application_too(admin_client, two_applications, term):
    assert listed(admin_client, q=term) == ["7000000001"]


def test_search_words_must_all_match_across_fields(admin_client, two_applications):
    assert listed(admin_client, q="alpha jonas") == ["5435435435"]
    assert listed(admin_client, q="alpha ольга") == []


def test_search_treats_like_wildcards_as_text(admin_client, two_applications):
    assert listed(admin_client, q="%") == [] and listed(admin_client, q="_") == []


@pytest.mark.parametrize(
    "query, expected",
    [
        ({"state": "I"}, ["7000000001"]),
        ({"audit_result": "pass"}, ["5435435435"]),
        ({"request_type": "viberUpdate"}, ["7000000001"]),
        ({"industry": "cateringServices"}, ["5435435435"]),
        ({"cust_space_id": "cs-beta"}, ["7000000001"]),
        ({"cust_space_id": "-"}, ["5435435435"]),  # the default (empty) space
        ({"review_status": "escalated"}, ["7000000001"]),
        ({"review_status": "new"}, ["5435435435"]),
        ({"gmt_create__gte": "2026-01-01 00:00+00:00", "gmt_create__lt": "2026-01-02 00:00+00:00"}, ["7000000001"]),
        ({"audit_time__gte": "2026-01-02 00:00+00:00"}, ["7000000001"]),
        ({"audit_time__isnull": "True"}, ["5435435435"]),
        ({"fetched_at__gte": "2000-01-01 00:00+00:00"}, ["7000000001", "5435435435"]),
    ],
)
def test_filters_narrow_the_list(admin_client, admin_user, two_applications, query, expected):
    admin_user.user_permissions.clear()
    review_set_status(application=two_applications[1], status="escalated", actor=admin_user)
    assert listed(admin_client, **query) == expected


def test_the_assignee_filter_offers_unassigned_mine_and_each_reviewer(
    admin_client, admin_user, two_applications, make_user
):
    from applications.services.review import review_assign

    rita = make_user("rita", "reviewers")
    review_assign(application=two_applications[0], assignee=rita, actor=admin_user)
    review_assign(application=two_applications[1], assignee=admin_user, actor=admin_user)
    assert listed(admin_client, assignee="me") == ["7000000001"]
    assert listed(admin_client, assignee=str(rita.pk)) == ["5435435435"]
    assert listed(admin_client, assignee="none") == []
    content = admin_client.get(CHANGELIST).content.decode()
    assert "Unassigned" in content and ">rita<" in content


def test_filter_choices_come_from_the_stored_values(admin_client, two_applications):
    content = admin_client.get(CHANGELIST).content.decode()
    assert "cs-beta" in content and "(default space)" in content
    assert "cateringServices" in content and "Following up with customer" in content


def test_code_filters_offer_the_labels_of_the_code_table(admin_client, two_applications):
    content = admin_client.get(CHANGELIST).content.decode()
    assert "In review (I)" in content and "Under audit (auditing)" in content


def test_the_changelist_does_not_count_every_row(admin_client, two_applications):
    response = admin_client.get(CHANGELIST, {"q": "alpha"})
    assert response.context["cl"].show_full_result_count is False
    assert "Show all" in response.content.decode() and " total" not in response.content.decode()


COUNT = re.compile(r"\bCOUNT\(", re.I)
ID_READ = re.compile(r'^SELECT "applications_viberapplication"\."id" AS "pk" FROM', re.I)


@pytest.mark.parametrize("query", [{}, {"q": "alpha"}, {"state": "A"}, {"q": "54354", "industry": "cateringServices"}])
def test_the_changelist_never_runs_an_unbounded_count(admin_client, two_applications, query):
    with CaptureQueriesContext(connection) as captured:
        response = admin_client.get(CHANGELIST, query)
    assert response.status_code == 200
    counts = [q["sql"] for q in captured.captured_queries if COUNT.search(q["sql"])]
    # A result the planner expects to be small is counted by reading its ids (pagination.py).
    id_reads = [q["sql"] for q in captured.captured_queries if ID_READ.search(q["sql"])]
    assert counts or id_reads, "the paginator still counts (a bounded count or a bounded read of the ids)"
    for sql in counts + id_reads:
        assert "LIMIT" in sql.upper(), f"unbounded count: {sql}"
    # ... and on PostgreSQL no SELECT DISTINCT over the applications for the filter choices either
    # (SQLite has no loose index scan: there the choices come from a plain DISTINCT).
    assert connection.vendor != "postgresql" or not [
        q["sql"]
        for q in captured.captured_queries
        if "SELECT DISTINCT" in q["sql"].upper() and "viberapplication" in q["sql"]
    ]


def test_the_count_is_exact_for_a_small_result(admin_client, two_applications):
    assert admin_client.get(CHANGELIST).context["cl"].result_count == 2
    assert admin_client.get(CHANGELIST, {"q": "alpha"}).context["cl"].result_count == 1


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
    assert set(inlines) == {"review_log", "snapshots", "events"}
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


def test_snapshots_are_searched_by_request_number_prefix_or_request_id(admin_client, db):
    make_application(RequestNo="5435435435")
    make_application(RequestNo="7000000001")
    url = reverse("admin:applications_applicationsnapshot_changelist")

    def found(term):
        return [s.application.request_no for s in admin_client.get(url, {"q": term}).context["cl"].result_list]

    assert found("7000") == ["7000000001"]
    assert found("000001") == []  # a prefix, not a substring
    request_id = ApplicationSnapshot.objects.get(application__request_no="5435435435").request_id
    assert "5435435435" in found(request_id)  # the example's RequestId is shared by both


def test_the_review_log_shows_inline_and_stays_read_only(admin_client, admin_user, db):
    app = make_application()
    review_set_status(application=app, status="escalated", actor=admin_user, note="call the customer")
    url = reverse("admin:applications_viberapplication_change", args=[app.pk])
    content = admin_client.get(url).content.decode()
    assert "call the customer" in content and 'name="review_log-0-note"' not in content
    assert admin_client.post(url, {"review_status": "resolved"}).status_code == 403
    app.refresh_from_db()
    assert app.review_status == "escalated"


# --- actions ------------------------------------------------------------------------------


def run_action(client, action, applications, **extra):
    data = {"action": action, "_selected_action": [app.pk for app in applications], **extra}
    return client.post(CHANGELIST, data, follow=action != "export_selected")


def action_names(client):
    return {name for name, _ in client.get(CHANGELIST).context["action_form"].fields["action"].choices if name}


@pytest.fixture
def staff_viewer(client, make_user):
    user = make_user("victor", "viewers", is_staff=True)
    client.force_login(user)
    return client


@pytest.fixture
def staff_reviewer(client, make_user):
    user = make_user("rita", "reviewers", is_staff=True)
    client.force_login(user)
    client.user = user
    return client


def test_viewers_may_export_but_neither_refresh_nor_assign(staff_viewer, two_applications):
    assert action_names(staff_viewer) == {"export_selected"}


def test_a_viewer_cannot_refresh_even_by_posting_the_action(
    staff_viewer, two_applications, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = run_action(staff_viewer, "refresh_selected", two_applications)
    assert "Queued" not in response.content.decode() and callbacks == []


def test_reviewers_also_get_one_assign_action_per_reviewer(staff_reviewer, two_applications):
    names = action_names(staff_reviewer)
    assert {"refresh_selected", "export_selected", "unassign", f"assign_to_{staff_reviewer.user.pk}"} <= names
    assert "delete_selected" not in names


def test_a_viewer_cannot_assign_even_by_posting_the_action(
    staff_viewer, staff_reviewer, two_applications, django_user_model
):
    rita = django_user_model.objects.get(username="rita")
    viewer = django_user_model.objects.get(username="victor")
    staff_viewer.force_login(viewer)
    run_action(staff_viewer, f"assign_to_{rita.pk}", two_applications)
    assert not ViberApplication.objects.filter(assignee__isnull=False).exists()
    assert not ReviewLogEntry.objects.exists()


def test_assigning_writes_the_assignee_and_the_review_log(staff_reviewer, two_applications):
    rita = staff_reviewer.user
    response = run_action(staff_reviewer, f"assign_to_{rita.pk}", two_applications)
    assert "2 application(s) assigned to rita" in response.content.decode()
    assert set(ViberApplication.objects.values_list("assignee__username", flat=True)) == {"rita"}
    assert ReviewLogEntry.objects.filter(action="assign", after="rita", actor=rita).count() == 2
    run_action(staff_reviewer, "unassign", two_applications[:1])
    assert ViberApplication.objects.filter(assignee__isnull=True).count() == 1


def test_the_reviewer_choices_are_cached_until_a_role_changes(staff_reviewer, two_applications, make_user):
    before = action_names(staff_reviewer)
    with CaptureQueriesContext(connection) as captured:
        assert action_names(staff_reviewer) == before
    assert not [q for q in captured.captured_queries if "auth_permission" in q["sql"]]  # no reviewers query
    newcomer = make_user("nina", "reviewers")  # a group change resets the role cache
    assert action_names(staff_reviewer) == before | {f"assign_to_{newcomer.pk}"}
    content = staff_reviewer.get(CHANGELIST).content.decode()
    assert f'href="?assignee={newcomer.pk}"' in content  # the sidebar's assignee filter too


def test_assigning_to_a_reviewer_deleted_since_the_page_was_shown_assigns_nobody(
    staff_reviewer, two_applications, make_user
):
    gone = make_user("gone", "reviewers")
    assert f"assign_to_{gone.pk}" in action_names(staff_reviewer)
    with connection.cursor() as cursor:  # behind the ORM's back: the cached choices still offer the user
        cursor.execute("DELETE FROM auth_user_groups WHERE user_id = %s", [gone.pk])
        cursor.execute("DELETE FROM auth_user WHERE id = %s", [gone.pk])
    response = run_action(staff_reviewer, f"assign_to_{gone.pk}", two_applications)
    assert "Applications can only be assigned to reviewers." in response.content.decode()
    assert not ViberApplication.objects.filter(assignee__isnull=False).exists()
    assert not ReviewLogEntry.objects.exists()


def test_refresh_queues_one_task_per_selected_application_after_commit(
    staff_reviewer, two_applications, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = run_action(staff_reviewer, "refresh_selected", two_applications)
    assert "Queued 2 refresh(es)" in response.content.decode()
    assert len(callbacks) == 1  # the enqueue service's on_commit hook


def test_a_huge_selection_is_refused_before_queueing_anything(
    staff_reviewer, two_applications, monkeypatch, django_capture_on_commit_callbacks
):
    from applications.admin import actions

    monkeypatch.setattr(actions, "MAX_SELECTION", 1)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = staff_reviewer.post(
            CHANGELIST,
            {"action": "refresh_selected", "select_across": "1", "_selected_action": [two_applications[0].pk]},
            follow=True,
        )
    assert "Select at most 1 applications" in response.content.decode() and not callbacks


def test_export_writes_the_selection_as_formula_safe_csv(staff_viewer, db):
    hostile = make_application(RequestNo="6660000009", audit_record={"CompanyEnglishName": "=HYPERLINK(1)"})
    make_application(RequestNo="6660000010")
    response = run_action(staff_viewer, "export_selected", [hostile])
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert len(rows) == 2 and rows[1][0] == "6660000009"
    assert "'=HYPERLINK(1)" in rows[1]


def test_staff_without_view_permission_get_no_changelist(client, two_applications, make_user):
    client.force_login(make_user("nobody", None, is_staff=True))
    assert client.get(CHANGELIST).status_code == 403
    assert (
        client.post(
            CHANGELIST, {"action": "refresh_selected", "_selected_action": [two_applications[0].pk]}
        ).status_code
        == 403
    )
