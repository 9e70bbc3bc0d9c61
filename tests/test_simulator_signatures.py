"""Signatures: the simulator checks the SDK's and our own signer's requests, and the verifier
agrees with the SDK on the wire (odd characters, replays, stale dates, tampering)."""

import hashlib
import threading
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlencode

import pytest

from applications.sandbox import dataset as ds
from applications.sandbox.signature import (
    NonceCache,
    SignatureError,
    Verifier,
    canonical_query_string,
    headers_from_message,
    sign_headers,
)

ODD_REQUEST_NO = "R 1~x/é*+"
ODD_SPACE = "空间 *~%"


def test_it_verifies_sdk_signatures_over_odd_characters(cams_sdk_client, cams_simulator, viber_get):
    resp = viber_get(cams_sdk_client, request_no=ODD_REQUEST_NO, cust_space_id=ODD_SPACE)
    assert (resp.status_code, resp.body.data) == (200, None)
    assert cams_simulator.stats()["auth_failures"] == 0


def test_it_accepts_our_own_signature(cams_simulator, signed_call):
    reply = signed_call(cams_simulator, {"RequestNo": ds.EXAMPLE_REQUEST_NO, "CustSpaceId": ODD_SPACE})
    assert reply.status == 200 and reply.json()["Data"]["RequestNo"] == ds.EXAMPLE_REQUEST_NO


def test_it_rejects_a_replayed_nonce(cams_simulator, signed_call):
    query = {"RequestNo": ds.EXAMPLE_REQUEST_NO}
    headers = sign_headers(
        access_key_id=cams_simulator.access_key_id,
        access_key_secret=cams_simulator.access_key_secret,
        host=cams_simulator.endpoint,
        action="GetViberByRequestNo",
        version="2020-06-06",
        query=query,
    )
    assert signed_call(cams_simulator, query, headers=dict(headers)).status == 200
    replay = signed_call(cams_simulator, query, headers=dict(headers))
    assert (replay.status, replay.json()["Code"]) == (400, "SignatureNonceUsed")


def test_it_rejects_a_stale_date(cams_simulator, signed_call):
    stale = (datetime.now(UTC) - timedelta(minutes=16)).strftime("%Y-%m-%dT%H:%M:%SZ")
    reply = signed_call(cams_simulator, {"RequestNo": "1"}, date=stale)
    assert (reply.status, reply.json()["Code"]) == (400, "InvalidTimeStamp.Expired")
    reply = signed_call(cams_simulator, {"RequestNo": "1"}, date="yesterday")
    assert reply.json()["Code"] == "InvalidTimeStamp.Format"


def test_it_rejects_a_tampered_query(cams_simulator, signed_call):
    headers = sign_headers(
        access_key_id=cams_simulator.access_key_id,
        access_key_secret=cams_simulator.access_key_secret,
        host=cams_simulator.endpoint,
        action="GetViberByRequestNo",
        version="2020-06-06",
        query={"RequestNo": "1"},
    )
    reply = signed_call(cams_simulator, {"RequestNo": ds.EXAMPLE_REQUEST_NO}, headers=headers)
    assert (reply.status, reply.json()["Code"]) == (400, "SignatureDoesNotMatch")


def test_it_requires_the_date_and_nonce_to_be_signed(cams_simulator, signed_call):
    headers = sign_headers(
        access_key_id=cams_simulator.access_key_id,
        access_key_secret=cams_simulator.access_key_secret,
        host=cams_simulator.endpoint,
        action="GetViberByRequestNo",
        version="2020-06-06",
    )
    headers["authorization"] = headers["authorization"].replace("x-acs-signature-nonce;", "")
    reply = signed_call(cams_simulator, headers=headers)
    assert reply.json()["Code"] == "IncompleteSignature"


def test_it_checks_the_body_hash(cams_simulator, signed_call):
    reply = signed_call(cams_simulator, {"RequestNo": "1"}, body=b"surprise")
    assert reply.json()["Code"] == "InvalidParameter.ContentSHA256"


def test_it_refuses_unknown_actions_and_versions(cams_simulator, signed_call):
    reply = signed_call(cams_simulator, {"RequestNo": "1"}, action="DeleteEverything")
    assert (reply.status, reply.json()["Code"]) == (404, "InvalidApi.NotFound")
    reply = signed_call(cams_simulator, {"RequestNo": "1"}, version="2017-05-25")
    assert (reply.status, reply.json()["Code"]) == (400, "InvalidVersion")
    body = reply.json()
    assert set(body) == {"RequestId", "HostId", "Code", "Message", "Recommend"}


class _Recorder(BaseHTTPRequestHandler):
    """Captures one SDK request exactly as it arrives on the wire."""

    protocol_version = "HTTP/1.1"
    captured = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.captured.append((self.path, headers_from_message(self.headers), body))
        payload = b'{"RequestId":"X","Code":"OK","Data":null}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json;charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


@pytest.fixture
def sdk_request(viber_get, cams_client_factory):
    """(path, headers, body) of a real SDK request with non-ASCII, space, ``*`` and ``~`` values."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    _Recorder.captured.clear()
    handle = type(
        "H",
        (),
        {
            "endpoint": f"127.0.0.1:{server.server_address[1]}",
            "access_key_id": "AKID-capture",
            "access_key_secret": "s3cr3t",
        },
    )()
    viber_get(cams_client_factory(handle), request_no=ODD_REQUEST_NO, cust_space_id=ODD_SPACE)
    server.shutdown()
    server.server_close()
    return _Recorder.captured[0]


def test_the_verifier_accepts_a_request_signed_by_the_sdk(sdk_request):
    path, headers, body = sdk_request
    route, _, query = path.partition("?")
    assert "+" in query  # the SDK quote_plus-encodes on the wire but signs RFC 3986
    assert Verifier({"AKID-capture": "s3cr3t"}).verify("POST", route, query, headers, body) == "AKID-capture"


def test_the_verifier_rejects_the_sdk_request_with_another_secret(sdk_request):
    path, headers, body = sdk_request
    route, _, query = path.partition("?")
    with pytest.raises(SignatureError) as caught:
        Verifier({"AKID-capture": "other"}).verify("POST", route, query, headers, body)
    assert caught.value.code == "SignatureDoesNotMatch"


def test_the_canonical_query_is_rfc3986_and_sorted():
    assert canonical_query_string("b=R+1~x%2F%C3%A9%2A%2B&a=&A=%E7%A9%BA") == "A=%E7%A9%BA&a=&b=R%201~x%2F%C3%A9%2A%2B"


def test_our_signer_and_verifier_agree_on_odd_values():
    query = {"RequestNo": ODD_REQUEST_NO, "CustSpaceId": ODD_SPACE, "Empty": ""}
    headers = sign_headers(access_key_id="k", access_key_secret="s", host="h:1", action="A", version="V", query=query)
    wire = {name: [value] for name, value in headers.items()}
    assert Verifier({"k": "s"}).verify("POST", "/", urlencode(query), wire, b"") == "k"
    assert hashlib.sha256(b"").hexdigest() == headers["x-acs-content-sha256"]


def test_the_nonce_cache_forgets_expired_nonces_and_stays_bounded():
    now = [0.0]
    cache = NonceCache(ttl_seconds=10, max_size=3, clock=lambda: now[0])
    assert cache.add("a") and not cache.add("a")
    now[0] = 11
    assert cache.add("a")
    for nonce in "bcdef":
        cache.add(nonce)
    assert len(cache) <= 3
