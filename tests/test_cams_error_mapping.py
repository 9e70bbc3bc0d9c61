"""How upstream errors become domain errors, through the real SDK against the simulator:
missing RequestIds, CAMS's "try again" code and a refused signature nonce."""

import pytest

from applications.cams import errors
from applications.cams.client import fetch_application, interpret_response
from applications.sandbox.dataset import EXAMPLE_REQUEST_NO
from applications.services.refresh import application_refresh
from tests.factories import make_application


@pytest.mark.parametrize(
    "code, kind",
    [
        ("Throttling.User", errors.Throttled),  # HTTP 400: the SDK's ClientException
        ("ServiceUnavailable", errors.UpstreamUnavailable),  # HTTP 503: ServerException
        ("InvalidVersion", errors.InvalidRequest),
    ],
)
def test_an_error_body_without_a_request_id_keeps_it_empty(live_cams, code, kind):
    live_cams.set_faults(error_code=code, omit_request_id=True)
    with pytest.raises(kind) as caught:
        fetch_application(request_no=EXAMPLE_REQUEST_NO)
    assert caught.value.request_id == ""
    assert caught.value.code == code
    assert "None" not in caught.value.message
    assert caught.value.as_dict()["request_id"] == ""


def test_an_error_body_without_message_or_request_id_reads_cleanly(live_cams):
    live_cams.set_faults(error_code="SomethingUnlisted", omit_request_id=True)
    with pytest.raises(errors.InvalidRequest) as caught:
        fetch_application(request_no=EXAMPLE_REQUEST_NO)
    assert "None" not in caught.value.message
    assert caught.value.request_id == ""


@pytest.mark.django_db
def test_a_failed_refresh_stores_no_request_id_rather_than_the_word_none(live_cams):
    app = make_application(request_no=EXAMPLE_REQUEST_NO)
    live_cams.set_faults(error_code="ServiceUnavailable", omit_request_id=True)
    application_refresh(application_id=app.pk)
    app.refresh_from_db()
    assert app.last_error_code == "ServiceUnavailable"
    assert app.last_error_request_id == ""


def test_an_error_with_a_request_id_still_carries_it(live_cams):
    live_cams.set_faults(error_code="ServiceUnavailable")
    with pytest.raises(errors.UpstreamUnavailable) as caught:
        fetch_application(request_no=EXAMPLE_REQUEST_NO)
    assert len(caught.value.request_id) == 36


def test_cams_system_exception_is_transient(live_cams):
    # "999999 System Exception, try again" arrives as HTTP 200 with that Code.
    live_cams.set_faults(error_code="999999")
    with pytest.raises(errors.UpstreamUnavailable) as caught:
        fetch_application(request_no=EXAMPLE_REQUEST_NO)
    assert caught.value.transient
    assert caught.value.code == "999999"
    assert caught.value.request_id


def test_cams_system_exception_in_a_body_is_transient():
    with pytest.raises(errors.CamsError) as caught:
        interpret_response({"Code": "999999", "Message": "System Exception, try again", "RequestId": "R"})
    assert caught.value.transient


def test_a_used_nonce_is_sent_once_more_with_a_fresh_one(live_cams):
    live_cams.set_faults(error_code="SignatureNonceUsed", error_code_calls=1)
    fetched = fetch_application(request_no=EXAMPLE_REQUEST_NO)
    assert fetched.parsed.request_no == EXAMPLE_REQUEST_NO
    stats = live_cams.stats()
    assert stats["calls"] == 2
    assert stats["by_code"] == {"SignatureNonceUsed": 1}


def test_a_nonce_refused_twice_is_a_transient_error_after_one_more_try(live_cams):
    live_cams.set_faults(error_code="SignatureNonceUsed")
    with pytest.raises(errors.UpstreamUnavailable) as caught:
        fetch_application(request_no=EXAMPLE_REQUEST_NO)
    assert caught.value.transient
    assert caught.value.code == "SignatureNonceUsed"
    assert live_cams.stats()["calls"] == 2


def test_other_refusals_are_not_sent_again(live_cams):
    live_cams.set_faults(error_code="Throttling.User", error_code_calls=1)
    with pytest.raises(errors.Throttled):
        fetch_application(request_no=EXAMPLE_REQUEST_NO)
    assert live_cams.stats()["calls"] == 1
