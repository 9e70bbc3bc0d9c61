"""The real SDK against the simulator over loopback, through our client module's error mapping."""

import pytest

from applications.cams import errors
from applications.cams.client import fetch_application, interpret_response
from applications.sandbox.dataset import CUST_SPACE_IDS, EXAMPLE_REQUEST_NO, SPACE_REQUEST_NO
from tests.factories import example_body, make_body


def test_it_fetches_and_parses_the_document_example(live_cams):
    fetched = fetch_application(request_no=EXAMPLE_REQUEST_NO)
    assert fetched.parsed.company_legal_name == "xxxxxxcompany"
    assert fetched.parsed.destinations_international[0].name == "Albania"
    assert fetched.request_id
    assert fetched.body["Data"] == example_body()["Data"]


def test_it_maps_a_wrong_secret_to_an_auth_error(live_cams, settings):
    settings.CAMS_ACCESS_KEY_SECRET = "not-the-secret"
    with pytest.raises(errors.AuthError) as caught:
        fetch_application(request_no=EXAMPLE_REQUEST_NO)
    assert caught.value.code == "SignatureDoesNotMatch"
    assert caught.value.request_id


def test_it_maps_an_unknown_key_id_to_an_auth_error(live_cams, settings):
    settings.CAMS_ACCESS_KEY_ID = "nobody"
    with pytest.raises(errors.AuthError) as caught:
        fetch_application(request_no=EXAMPLE_REQUEST_NO)
    assert caught.value.code.startswith("InvalidAccessKeyId")


def test_an_unknown_request_number_is_not_found(live_cams):
    with pytest.raises(errors.NotFound) as caught:
        fetch_application(request_no="1234000000")
    assert caught.value.request_id


def test_a_record_of_another_customer_space_is_not_found(live_cams):
    with pytest.raises(errors.NotFound):
        fetch_application(request_no=SPACE_REQUEST_NO, cust_space_id="some-other-space")
    found = fetch_application(request_no=SPACE_REQUEST_NO, cust_space_id=CUST_SPACE_IDS[0])
    assert found.parsed.request_no == SPACE_REQUEST_NO


def test_a_missing_request_number_is_an_invalid_request(live_cams):
    with pytest.raises(errors.InvalidRequest) as caught:
        fetch_application(request_no=None)
    assert caught.value.code == "MissingRequestNo"


@pytest.mark.parametrize("code", [503, 500])
def test_server_errors_are_upstream_unavailable(live_cams, code):
    live_cams.set_faults(error_rate=1.0, seed=code)
    with pytest.raises(errors.UpstreamUnavailable) as caught:
        fetch_application(request_no=EXAMPLE_REQUEST_NO)
    assert caught.value.transient
    assert caught.value.code in {"ServiceUnavailable", "InternalError"}


def test_throttling_is_throttled(live_cams):
    live_cams.set_faults(throttle_rate=1.0)
    with pytest.raises(errors.Throttled) as caught:
        fetch_application(request_no=EXAMPLE_REQUEST_NO)
    assert caught.value.code == "Throttling.User"


@pytest.mark.parametrize("kind", ["html502", "truncated", "data-string"])
def test_malformed_bodies_are_upstream_unavailable(live_cams, kind):
    live_cams.set_faults(malformed_rate=1.0, malformed_kind=kind)
    with pytest.raises(errors.UpstreamUnavailable):
        fetch_application(request_no=EXAMPLE_REQUEST_NO)


def test_a_slow_answer_past_the_read_timeout_is_upstream_unavailable(live_cams, settings):
    settings.CAMS_READ_TIMEOUT_MS = 200
    live_cams.set_faults(latency_ms=1000)
    with pytest.raises(errors.UpstreamUnavailable) as caught:
        fetch_application(request_no=EXAMPLE_REQUEST_NO)
    assert caught.value.code == "Timeout"


def test_a_refused_connection_is_upstream_unavailable(settings):
    settings.CAMS_ENDPOINT, settings.CAMS_PROTOCOL = "127.0.0.1:9", "http"
    settings.CAMS_ACCESS_KEY_ID, settings.CAMS_ACCESS_KEY_SECRET = "id", "secret"
    with pytest.raises(errors.UpstreamUnavailable) as caught:
        fetch_application(request_no=EXAMPLE_REQUEST_NO)
    assert caught.value.code == "ConnectionError"


def test_success_is_keyed_on_code_not_on_the_success_flag():
    # The document's own example says Success=false on a good answer.
    fetched = interpret_response(example_body())
    assert fetched.parsed.request_no == EXAMPLE_REQUEST_NO


def test_a_non_ok_code_on_http_200_is_an_error_with_its_request_id():
    body = {"Code": "Throttling.User", "Message": "flow control", "RequestId": "RID-1", "Success": True}
    with pytest.raises(errors.Throttled) as caught:
        interpret_response(body)
    assert (caught.value.code, caught.value.request_id) == ("Throttling.User", "RID-1")


@pytest.mark.parametrize("data", [None, {}, ""])
def test_empty_or_missing_data_is_not_found(data):
    body = example_body()
    body["Data"] = data
    with pytest.raises(errors.NotFound):
        interpret_response(body)


def test_data_of_the_wrong_shape_is_upstream_unavailable():
    with pytest.raises(errors.UpstreamUnavailable):
        interpret_response(make_body(data=["not", "an", "object"]))
    with pytest.raises(errors.UpstreamUnavailable):
        interpret_response("<html>")


def test_unknown_codes_are_invalid_requests_and_keep_the_message():
    with pytest.raises(errors.InvalidRequest) as caught:
        interpret_response({"Code": "InvalidParameter.Something", "Message": "bad <thing>", "RequestId": "R"})
    assert caught.value.message == "bad <thing>"


def test_missing_credentials_are_an_auth_error(live_cams, settings, monkeypatch):
    settings.CAMS_ACCESS_KEY_ID = settings.CAMS_ACCESS_KEY_SECRET = ""
    # The credential chain copies its environment variables at import time: patch its copies.
    from alibabacloud_credentials.utils import auth_util

    for name in ("environment_access_key_id", "environment_access_key_secret", "environment_security_token"):
        monkeypatch.setattr(auth_util, name, None, raising=False)
    monkeypatch.setattr(auth_util, "environment_ecs_metadata_disabled", "true")
    monkeypatch.setenv("ALIBABA_CLOUD_CLI_PROFILE_DISABLED", "true")
    monkeypatch.setenv("ALIBABA_CLOUD_CREDENTIALS_FILE", "/nonexistent")
    monkeypatch.setenv("HOME", "/nonexistent")
    with pytest.raises(errors.AuthError):
        fetch_application(request_no=EXAMPLE_REQUEST_NO)
