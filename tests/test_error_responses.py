"""CAMS failures and invalid request numbers get the same HTTP answer from every view.

The lookup form, the application page, "Refresh now" and the JSON API all go through
``views.errors``: each CAMS error kind keeps one status and one Retry-After whether a person or a
script asked. The failures are real ones, produced by the simulator through the real SDK.
"""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from applications.cams import errors
from applications.services.upstream import cams_fetch_rate_limited
from applications.views.errors import cams_error_json, cams_error_page

KNOWN_NO = "5435435435"
UNKNOWN_NO = "0000000404"


def _throttled(simulator, settings):
    simulator.set_faults(throttle_rate=1.0)


def _unavailable(simulator, settings):
    simulator.set_faults(error_rate=1.0)


def _bad_secret(simulator, settings):
    settings.CAMS_ACCESS_KEY_SECRET = "not-the-secret"


def _local_rate_limit(simulator, settings):
    settings.CAMS_MAX_QPS = 0.001
    settings.CAMS_RATE_LIMIT_WAIT_SECONDS = 0
    cams_fetch_rate_limited(request_no=KNOWN_NO)  # takes the only slot for the next 1,000 s


def _nothing(simulator, settings):
    pass


# (what goes wrong, request number, the error kind and status every view answers with)
FAILURES = [
    pytest.param(_nothing, UNKNOWN_NO, "not_found", 404, id="unknown number"),
    pytest.param(_throttled, KNOWN_NO, "throttled", 429, id="CAMS throttles"),
    pytest.param(_unavailable, KNOWN_NO, "unavailable", 503, id="CAMS answers 5xx"),
    pytest.param(_bad_secret, KNOWN_NO, "auth", 502, id="CAMS refuses the signature"),
    pytest.param(_local_rate_limit, KNOWN_NO, "throttled", 429, id="our own rate limit"),
]


def answers(client, request_no):
    """The four ways to ask for an application that is not stored: (name, response)."""
    return [
        ("lookup form", client.get(reverse("applications:lookup"), {"request_no": request_no})),
        ("application page", client.get(reverse("applications:detail", args=[request_no]))),
        ("refresh now", client.post(reverse("applications:refresh", args=[request_no]))),
        ("JSON API", client.get(reverse("applications:api-detail", args=[request_no]))),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("provoke, request_no, kind, status", FAILURES)
def test_each_cams_failure_has_one_status_on_every_page_and_in_the_api(
    admin_client, live_cams, settings, provoke, request_no, kind, status
):
    provoke(live_cams, settings)
    responses = answers(admin_client, request_no)
    assert {name: response.status_code for name, response in responses} == {name: status for name, _ in responses}
    assert {response.get("Retry-After") for _, response in responses} == {None}  # CAMS never said when
    api = responses[-1][1].json()
    assert api["error"] == kind
    for name, response in responses[:-1]:
        page = BeautifulSoup(response.content.decode(), "html.parser")
        assert page.select_one("h1.alert-title").get_text(" ", strip=True) == api["title"], name
        if kind == "not_found":  # an answer, not a failure: no error code to chase
            assert not page.select_one(".error-facts") and "failed" not in page.get_text(), name
        else:
            assert "Error code" in page.select_one(".error-facts").get_text(), name


ALL_KINDS = [
    errors.CamsError,
    errors.NotFound,
    errors.Throttled,
    errors.AuthError,
    errors.InvalidRequest,
    errors.UpstreamUnavailable,
]


@pytest.mark.django_db
@pytest.mark.parametrize("error_class", ALL_KINDS, ids=lambda cls: cls.kind)
@pytest.mark.parametrize("retry_after, header", [(None, None), (0.2, "1"), (2.5, "2"), (30.6, "31")])
def test_a_page_and_the_json_answer_one_error_with_the_same_status_and_retry_after(
    rf, admin_user, error_class, retry_after, header
):
    error = error_class("upstream said <b>no</b>", code="Some.Code", request_id="RID-1", retry_after=retry_after)
    request = rf.get("/")
    request.user = admin_user
    page = cams_error_page(request, error, request_no=KNOWN_NO, cust_space_id="space-1")
    body = cams_error_json(error)
    assert page.status_code == body.status_code == error_class.http_status
    assert page.get("Retry-After") == body.get("Retry-After") == header
    assert "<b>no</b>" not in page.content.decode()  # escaped, never markup
    if error_class is not errors.NotFound:  # not found is told in our own words
        assert "upstream said &lt;b&gt;no&lt;/b&gt;" in page.content.decode()
    assert b'"error": "%s"' % error_class.kind.encode() in body.content


@pytest.mark.django_db
@pytest.mark.parametrize(
    "request_no, cust_space_id, message",
    [
        ("1" * 65, "", "at most 64 characters"),
        ("bad<>no", "", "may contain only letters, digits"),
        (KNOWN_NO, "no spaces allowed", "customer space ID is not valid"),
    ],
)
def test_an_invalid_request_number_or_space_is_a_400_everywhere_with_one_message(
    admin_client, request_no, cust_space_id, message
):
    query = {"cust_space_id": cust_space_id} if cust_space_id else {}
    page_responses = [
        admin_client.get(reverse("applications:lookup"), {"request_no": request_no, **query}),
        admin_client.get(reverse("applications:detail", args=[request_no]), query),
        admin_client.post(
            reverse("applications:refresh", args=[request_no])
            + (f"?cust_space_id={cust_space_id.replace(' ', '+')}" if cust_space_id else "")
        ),
    ]
    api = admin_client.get(reverse("applications:api-detail", args=[request_no]), query)
    assert [response.status_code for response in page_responses] == [400, 400, 400]
    assert api.status_code == 400 and message in api.json()["message"]
    for response in page_responses:
        alerts = BeautifulSoup(response.content.decode(), "html.parser").select("[role=alert]")
        assert any(message in alert.get_text() for alert in alerts)
