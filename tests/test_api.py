"""GET /api/applications/<request_no>/: session-authenticated JSON over the same lookup."""

import pytest
from django.urls import reverse

from tests.factories import example_body, make_application

EXAMPLE_NO = "5435435435"


def api_url(request_no=EXAMPLE_NO):
    return reverse("applications:api-detail", args=[request_no])


@pytest.mark.django_db
def test_an_anonymous_call_gets_401_json_not_a_login_redirect(client):
    make_application()
    response = client.get(api_url())
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"] == "unauthenticated"


@pytest.mark.django_db
def test_it_returns_every_field_of_a_stored_application(logged_in):
    application = make_application()
    response = logged_in.get(api_url())
    assert response.status_code == 200
    payload = response.json()
    assert payload["request_no"] == EXAMPLE_NO and payload["cust_space_id"] == ""
    assert payload["source"] == "cache" and payload["stale_because"] is None
    assert payload["fetched_at"] == application.fetched_at.isoformat()
    assert payload["raw"] == example_body()
    document = payload["application"]
    assert {key: document[key] for key in application.document} == application.document
    assert document["audit_record"] == application.audit_record
    assert document["state_label"] == "Active" and document["audit_result_label"] == "Approved"
    assert document["is_final"] is True
    assert document["company_legal_name"] == "xxxxxxcompany"
    assert document["destinations_international"] == [
        {"raw": "355|AL", "dial_code": "355", "iso": "AL", "name": "Albania"}
    ]


@pytest.mark.django_db
def test_it_keeps_non_ascii_text_readable(logged_in):
    make_application(audit_record={"CompanyLegalName": "Ромашка ООО"})
    response = logged_in.get(api_url())
    assert "Ромашка ООО" in response.content.decode("utf-8")
    assert response.json()["application"]["company_legal_name"] == "Ромашка ООО"


@pytest.mark.django_db
def test_it_reads_the_customer_space_from_the_query(logged_in):
    make_application(cust_space_id="28251486512358", audit_record={"CompanyLegalName": "in a space"})
    payload = logged_in.get(api_url(), {"cust_space_id": "28251486512358"}).json()
    assert payload["cust_space_id"] == "28251486512358"
    assert payload["application"]["company_legal_name"] == "in a space"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "request_no, message",
    [
        ("1" * 65, "at most 64 characters"),
        ("bad<>no", "may contain only letters, digits"),
    ],
)
def test_an_invalid_request_number_is_a_400_with_the_message(logged_in, request_no, message):
    response = logged_in.get(api_url(request_no))
    assert response.status_code == 400
    assert message in response.json()["message"]


@pytest.mark.django_db
def test_an_invalid_customer_space_is_a_400(logged_in):
    response = logged_in.get(api_url(), {"cust_space_id": "no spaces allowed"})
    assert response.status_code == 400
    assert "customer space" in response.json()["message"]


@pytest.mark.django_db
def test_unreachable_cams_with_nothing_stored_is_a_503_error(logged_in, cams_unreachable):
    response = logged_in.get(api_url("1234500001"))
    assert response.status_code == 503
    assert response.json() == {
        "error": "unavailable",
        "title": "CAMS is unavailable or answered something unreadable",
        "message": "Could not connect to CAMS",
        "code": "ConnectionError",
        "request_id": "",
        "transient": True,
    }


@pytest.mark.django_db
def test_a_stored_copy_is_served_stale_with_the_reason_when_cams_fails(logged_in, cams_unreachable):
    make_application()
    payload = logged_in.get(api_url()).json()
    assert payload["source"] == "stale"
    assert payload["stale_because"]["code"] == "ConnectionError"
    assert payload["application"]["company_legal_name"] == "xxxxxxcompany"


@pytest.mark.django_db
@pytest.mark.usefixtures("live_cams")
def test_an_unknown_request_number_is_a_404_error(logged_in):
    response = logged_in.get(api_url("0000000404"))
    assert response.status_code == 404
    body = response.json()
    assert body["error"] == "not_found" and body["transient"] is False
    assert body["request_id"]  # what support needs


@pytest.mark.django_db
@pytest.mark.usefixtures("live_cams")
def test_it_fetches_through_cams_when_nothing_is_stored(logged_in):
    payload = logged_in.get(api_url()).json()
    assert payload["source"] == "upstream"
    assert payload["application"]["company_legal_name"] == "xxxxxxcompany"
    assert payload["raw"]["Data"]["RequestNo"] == EXAMPLE_NO
