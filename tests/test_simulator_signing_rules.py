"""The simulator refuses what the gateway's ACS3-HMAC-SHA256 rules refuse: unsigned x-acs-* or
content-type headers that are present, and a host that does not name the endpoint."""

import pytest

from applications.sandbox import dataset as ds
from applications.sandbox.server import endpoint_for
from applications.sandbox.signature import EndpointNames, SignatureError, Verifier, sign_headers

QUERY = {"RequestNo": ds.EXAMPLE_REQUEST_NO}
GATEWAY_ERROR_KEYS = {"RequestId", "HostId", "Code", "Message", "Recommend"}


def signed(handle, **options):
    options.setdefault("host", handle.endpoint)
    return sign_headers(
        access_key_id=handle.access_key_id,
        access_key_secret=handle.access_key_secret,
        action="GetViberByRequestNo",
        version="2020-06-06",
        query=QUERY,
        **options,
    )


def refused(reply, code):
    body = reply.json()
    assert set(body) == GATEWAY_ERROR_KEYS
    assert (reply.status, body["Code"]) == (400, code)
    return body


def test_the_sdk_still_gets_through(cams_sdk_client, cams_simulator):
    from alibabacloud_cams20200606 import models as cams_models

    response = cams_sdk_client.get_viber_by_request_no(
        cams_models.GetViberByRequestNoRequest(request_no=ds.EXAMPLE_REQUEST_NO)
    )
    assert response.body.code == "OK"
    assert cams_simulator.stats()["auth_failures"] == 0


def test_a_correctly_signed_extra_acs_header_is_accepted(signed_call, cams_simulator):
    headers = signed(cams_simulator, extra_headers={"x-acs-retry-attempts": "1"})
    assert signed_call(cams_simulator, QUERY, headers=headers).status == 200


def test_an_unsigned_acs_header_is_refused(signed_call, cams_simulator):
    headers = signed(cams_simulator)
    headers["x-acs-security-token"] = "slipped-in"
    body = refused(signed_call(cams_simulator, QUERY, headers=headers), "IncompleteSignature")
    assert "x-acs-security-token" in body["Message"]


def test_an_unsigned_acs_header_is_refused_whatever_its_case(signed_call, cams_simulator):
    headers = signed(cams_simulator)
    headers["X-Acs-Accesskey-Id"] = "other"
    refused(signed_call(cams_simulator, QUERY, headers=headers), "IncompleteSignature")


def test_an_unsigned_content_type_is_refused(signed_call, cams_simulator):
    # urllib sends a content-type with every POST; signing without it leaves it unsigned.
    headers = signed(cams_simulator, content_type=None)
    body = refused(signed_call(cams_simulator, QUERY, headers=headers), "IncompleteSignature")
    assert "content-type" in body["Message"]


def test_a_signed_content_type_changed_in_transit_is_refused(signed_call, cams_simulator):
    headers = signed(cams_simulator)
    headers["content-type"] = "application/json"
    refused(signed_call(cams_simulator, QUERY, headers=headers), "SignatureDoesNotMatch")


def test_a_host_that_does_not_name_the_endpoint_is_refused_even_when_signed(signed_call, cams_simulator):
    headers = signed(cams_simulator, host=f"evil.example:{cams_simulator.port}")
    body = refused(signed_call(cams_simulator, QUERY, headers=headers), "SignatureDoesNotMatch")
    assert "evil.example" in body["Message"]


def test_the_right_name_on_the_wrong_port_is_refused(signed_call, cams_simulator):
    headers = signed(cams_simulator, host=f"{cams_simulator.host}:{cams_simulator.port + 1}")
    refused(signed_call(cams_simulator, QUERY, headers=headers), "SignatureDoesNotMatch")


def test_localhost_names_a_loopback_simulator(signed_call, cams_simulator):
    headers = signed(cams_simulator, host=f"localhost:{cams_simulator.port}")
    assert signed_call(cams_simulator, QUERY, headers=headers).status == 200


def test_a_refused_request_does_not_burn_its_nonce(signed_call, cams_simulator):
    headers = signed(cams_simulator, nonce="nonce-kept-for-the-good-request")
    tampered = {**headers, "x-acs-extra": "1"}
    refused(signed_call(cams_simulator, QUERY, headers=tampered), "IncompleteSignature")
    assert signed_call(cams_simulator, QUERY, headers=headers).status == 200


@pytest.mark.parametrize(
    "host, accepted",
    [
        ("127.0.0.1:8765", True),
        ("LOCALHOST:8765", True),
        ("[::1]:8765", True),
        ("127.0.0.1:8766", False),
        ("10.0.0.1:8765", False),
        ("127.0.0.1", False),
        ("http://127.0.0.1:8765", False),
        ("127.0.0.1:8765/x", False),
        ("", False),
    ],
)
def test_a_loopback_endpoint_answers_to_its_own_names(host, accepted):
    assert (host in endpoint_for("127.0.0.1", 8765)) is accepted


def test_an_endpoint_on_every_interface_takes_any_plain_name_at_its_port():
    endpoint = endpoint_for("0.0.0.0", 8765)
    assert "simulator:8765" in endpoint and "cams.internal.example:8765" in endpoint
    assert "simulator:80" not in endpoint
    assert "bad host:8765" not in endpoint
    named = endpoint_for("0.0.0.0", 8765, extra_names=["simulator"])
    assert "simulator:8765" in named and "other:8765" not in named


def test_the_verifier_refuses_a_repeated_host_header():
    headers = sign_headers(access_key_id="k", access_key_secret="s", host="h:1", action="A", version="V")
    wire = {name: [value] for name, value in headers.items()}
    wire["host"].append("h:1")
    with pytest.raises(SignatureError) as caught:
        Verifier({"k": "s"}, endpoint=EndpointNames(["h"], 1)).verify("POST", "/", "", wire, b"")
    assert caught.value.code == "SignatureDoesNotMatch"


def test_a_header_listed_as_signed_must_be_present():
    headers = sign_headers(
        access_key_id="k", access_key_secret="s", host="h:1", action="A", version="V", extra_headers={"x-custom": "1"}
    )
    wire = {name: [value] for name, value in headers.items() if name != "x-custom"}
    with pytest.raises(SignatureError) as caught:
        Verifier({"k": "s"}).verify("POST", "/", "", wire, b"")
    assert caught.value.code == "IncompleteSignature"
