"""The CAMS simulator, driven by the official SDK over loopback (and by raw signed requests
where the SDK cannot misbehave on purpose)."""
import hashlib
import json
import subprocess
import sys
import threading
import time
import unicodedata
import urllib.request
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlencode

import pytest
from alibabacloud_cams20200606 import models as cams_models
from alibabacloud_tea_openapi.exceptions import ClientException, ServerException
from darabonba.exceptions import UnretryableException
from django.conf import settings

from applications.sandbox import dataset as ds
from applications.sandbox.evolution import RecordStore
from applications.sandbox.faults import FaultConfig, FaultInjector, TokenBucket
from applications.sandbox.signature import (
    NonceCache, SignatureError, Verifier, canonical_query_string, headers_from_message, sign_headers,
)
from tests.simulator_fixtures import make_sdk_client, raw_call

ODD_REQUEST_NO = "R 1~x/é*+"
ODD_SPACE = "空间 *~%"


def get(client, request_no=ds.EXAMPLE_REQUEST_NO, cust_space_id=None):
    return client.get_viber_by_request_no(
        cams_models.GetViberByRequestNoRequest(request_no=request_no, cust_space_id=cust_space_id))


def client_error(client, **kwargs):
    with pytest.raises(ClientException) as caught:
        get(client, **kwargs)
    return caught.value


# --- the API through the SDK ------------------------------------------------------------------

def test_it_serves_the_document_example_to_the_right_key(cams_sdk_client):
    resp = get(cams_sdk_client)
    assert resp.status_code == 200
    assert resp.body.code == "OK"
    assert resp.body.success is False  # the document's own example envelope
    assert resp.body.data.audit_record.company_legal_name == "xxxxxxcompany"
    assert resp.headers["content-type"] == "application/json;charset=utf-8"
    assert resp.headers["x-acs-request-id"] == resp.body.request_id
    assert resp.body.request_id == resp.body.request_id.upper()


def test_it_serves_the_example_data_verbatim(cams_simulator):
    reply = raw_call(cams_simulator, {"RequestNo": ds.EXAMPLE_REQUEST_NO})
    assert reply.json()["Data"] == ds.load_example()["Data"]


def test_it_rejects_a_wrong_secret(cams_client_factory):
    error = client_error(cams_client_factory(access_key_secret="not-the-secret"))
    assert error.code == "SignatureDoesNotMatch"
    assert error.status_code == 400


def test_it_rejects_an_unknown_key_id(cams_client_factory):
    error = client_error(cams_client_factory(access_key_id="LTAI-unknown"))
    assert error.code == "InvalidAccessKeyId.NotFound"
    assert error.status_code == 404


def test_it_answers_an_unknown_request_number_with_null_data(cams_sdk_client, cams_simulator):
    resp = get(cams_sdk_client, request_no="0000000000")
    assert resp.status_code == 200
    assert (resp.body.code, resp.body.success, resp.body.data) == ("OK", True, None)
    assert cams_simulator.stats()["not_found"] == 1


def test_it_can_answer_not_found_with_a_code(cams_simulator_factory):
    handle = cams_simulator_factory(not_found_style="code")
    resp = get(make_sdk_client(handle), request_no="0000000000")
    assert (resp.status_code, resp.body.code, resp.body.data) == (200, "InvalidParameter.RequestNo", None)


def test_it_hides_a_record_from_another_customer_space(cams_sdk_client):
    space = ds.CUST_SPACE_IDS[0]
    assert get(cams_sdk_client, ds.SPACE_REQUEST_NO, space).body.data.request_no == ds.SPACE_REQUEST_NO
    assert get(cams_sdk_client, ds.SPACE_REQUEST_NO, ds.CUST_SPACE_IDS[1]).body.data is None
    assert get(cams_sdk_client, ds.SPACE_REQUEST_NO).body.data is None
    # A record without a space is found with or without one.
    assert get(cams_sdk_client, cust_space_id=space).body.data.request_no == ds.EXAMPLE_REQUEST_NO


def test_it_requires_a_request_number(cams_sdk_client):
    error = client_error(cams_sdk_client, request_no=None)
    assert (error.code, error.status_code) == ("MissingRequestNo", 400)
    assert "RequestNo is mandatory for this action." in error.message


def test_it_verifies_sdk_signatures_over_odd_characters(cams_sdk_client, cams_simulator):
    resp = get(cams_sdk_client, request_no=ODD_REQUEST_NO, cust_space_id=ODD_SPACE)
    assert (resp.status_code, resp.body.data) == (200, None)
    assert cams_simulator.stats()["auth_failures"] == 0


# --- faults --------------------------------------------------------------------------------------

def test_it_applies_latency(cams_sdk_client, cams_simulator):
    started = time.monotonic()
    get(cams_sdk_client)
    fast = time.monotonic() - started
    cams_simulator.set_faults(latency_ms=300)
    started = time.monotonic()
    get(cams_sdk_client)
    assert time.monotonic() - started >= 0.3 > fast


def test_it_injects_server_errors(cams_sdk_client, cams_simulator):
    cams_simulator.set_faults(error_rate=1.0, seed=1)
    codes = set()
    for _ in range(6):
        with pytest.raises(ServerException) as caught:
            get(cams_sdk_client)
        codes.add((caught.value.code, caught.value.status_code))
    assert codes == {("InternalError", 500), ("ServiceUnavailable", 503)}


def test_it_injects_throttling(cams_sdk_client, cams_simulator):
    cams_simulator.set_faults(throttle_rate=1.0)
    error = client_error(cams_sdk_client)
    assert (error.code, error.status_code) == ("Throttling.User", 400)
    assert "Request was denied due to user flow control." in error.message


def test_it_enforces_max_qps(cams_sdk_client, cams_simulator):
    cams_simulator.set_faults(max_qps=2)
    outcomes = []
    for _ in range(6):
        try:
            get(cams_sdk_client)
            outcomes.append("ok")
        except ClientException as exc:
            outcomes.append(exc.code)
    assert outcomes[:2] == ["ok", "ok"]
    assert "Throttling.User" in outcomes
    time.sleep(0.6)  # the bucket refills at 2 tokens a second
    assert get(cams_sdk_client).status_code == 200
    assert cams_simulator.stats()["throttled"] == outcomes.count("Throttling.User")


@pytest.mark.parametrize("kind", ["html502", "truncated"])
def test_an_unparseable_body_surfaces_as_unretryable(cams_sdk_client, cams_simulator, kind):
    cams_simulator.set_faults(malformed_rate=1.0, malformed_kind=kind)
    with pytest.raises(UnretryableException) as caught:
        get(cams_sdk_client)
    assert caught.value.code is None


def test_data_as_a_string_leaves_the_sdk_body_empty(cams_sdk_client, cams_simulator):
    cams_simulator.set_faults(malformed_rate=1.0, malformed_kind="data-string")
    resp = get(cams_sdk_client)
    assert resp.status_code == 200 and resp.body is None


def test_seeded_faults_are_deterministic():
    def run():
        injector = FaultInjector(FaultConfig(error_rate=0.5, malformed_rate=0.3, seed=42))
        return [(injector.server_error(), injector.malformed()) for _ in range(50)]

    assert run() == run()
    assert {error for error, _ in run()} == {None, "InternalError", "ServiceUnavailable"}


def test_the_token_bucket_refills_with_time():
    now = [0.0]
    bucket = TokenBucket(rate=2, clock=lambda: now[0])
    assert [bucket.take() for _ in range(3)] == [True, True, False]
    now[0] += 0.5
    assert bucket.take() and not bucket.take()


def test_it_refuses_bad_fault_settings(cams_simulator):
    with pytest.raises(ValueError):
        cams_simulator.set_faults(error_rate=2)
    with pytest.raises(ValueError):
        cams_simulator.set_faults(nonsense=1)


# --- signature checks with our own signer ---------------------------------------------------------

def test_it_accepts_our_own_signature(cams_simulator):
    reply = raw_call(cams_simulator, {"RequestNo": ds.EXAMPLE_REQUEST_NO, "CustSpaceId": ODD_SPACE})
    assert reply.status == 200 and reply.json()["Data"]["RequestNo"] == ds.EXAMPLE_REQUEST_NO


def test_it_rejects_a_replayed_nonce(cams_simulator):
    query = {"RequestNo": ds.EXAMPLE_REQUEST_NO}
    headers = sign_headers(access_key_id=cams_simulator.access_key_id, access_key_secret=cams_simulator.access_key_secret,
                           host=cams_simulator.endpoint, action="GetViberByRequestNo", version="2020-06-06", query=query)
    assert raw_call(cams_simulator, query, headers=dict(headers)).status == 200
    replay = raw_call(cams_simulator, query, headers=dict(headers))
    assert (replay.status, replay.json()["Code"]) == (400, "SignatureNonceUsed")


def test_it_rejects_a_stale_date(cams_simulator):
    stale = (datetime.now(UTC) - timedelta(minutes=16)).strftime("%Y-%m-%dT%H:%M:%SZ")
    reply = raw_call(cams_simulator, {"RequestNo": "1"}, date=stale)
    assert (reply.status, reply.json()["Code"]) == (400, "InvalidTimeStamp.Expired")
    reply = raw_call(cams_simulator, {"RequestNo": "1"}, date="yesterday")
    assert reply.json()["Code"] == "InvalidTimeStamp.Format"


def test_it_rejects_a_tampered_query(cams_simulator):
    headers = sign_headers(access_key_id=cams_simulator.access_key_id, access_key_secret=cams_simulator.access_key_secret,
                           host=cams_simulator.endpoint, action="GetViberByRequestNo", version="2020-06-06",
                           query={"RequestNo": "1"})
    reply = raw_call(cams_simulator, {"RequestNo": ds.EXAMPLE_REQUEST_NO}, headers=headers)
    assert (reply.status, reply.json()["Code"]) == (400, "SignatureDoesNotMatch")


def test_it_requires_the_date_and_nonce_to_be_signed(cams_simulator):
    headers = sign_headers(access_key_id=cams_simulator.access_key_id, access_key_secret=cams_simulator.access_key_secret,
                           host=cams_simulator.endpoint, action="GetViberByRequestNo", version="2020-06-06")
    headers["authorization"] = headers["authorization"].replace("x-acs-signature-nonce;", "")
    reply = raw_call(cams_simulator, headers=headers)
    assert reply.json()["Code"] == "IncompleteSignature"


def test_it_checks_the_body_hash(cams_simulator):
    reply = raw_call(cams_simulator, {"RequestNo": "1"}, body=b"surprise")
    assert reply.json()["Code"] == "InvalidParameter.ContentSHA256"


def test_it_refuses_unknown_actions_and_versions(cams_simulator):
    reply = raw_call(cams_simulator, {"RequestNo": "1"}, action="DeleteEverything")
    assert (reply.status, reply.json()["Code"]) == (404, "InvalidApi.NotFound")
    reply = raw_call(cams_simulator, {"RequestNo": "1"}, version="2017-05-25")
    assert (reply.status, reply.json()["Code"]) == (400, "InvalidVersion")
    body = reply.json()
    assert set(body) == {"RequestId", "HostId", "Code", "Message", "Recommend"}


# --- the verifier on its own ---------------------------------------------------------------------

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
def sdk_request():
    """(path, headers, body) of a real SDK request with non-ASCII, space, ``*`` and ``~`` values."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    _Recorder.captured.clear()
    handle = type("H", (), {"endpoint": f"127.0.0.1:{server.server_address[1]}",
                            "access_key_id": "AKID-capture", "access_key_secret": "s3cr3t"})()
    get(make_sdk_client(handle), request_no=ODD_REQUEST_NO, cust_space_id=ODD_SPACE)
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


# --- the data set and evolution -----------------------------------------------------------------

def _scripts(text):
    found = set()
    for char in text:
        if char.isalpha():
            name = unicodedata.name(char, "")
            found |= {s for s in ("LATIN", "CYRILLIC", "CJK", "ARABIC") if name.startswith(s)}
    return found


def test_the_data_set_covers_the_vocabulary():
    data = ds.build_dataset()
    records = [record for record, _ in data.records()]
    assert len(records) >= 500
    assert {r["State"] for r in records} == set(settings.CAMS_CODE_TABLE["State"])
    assert {r["AuditResult"] for r in records} == set(settings.CAMS_CODE_TABLE["AuditResult"])
    assert {r["RequestType"] for r in records} == set(settings.CAMS_CODE_TABLE["RequestType"])
    scripts = set().union(*(_scripts(r["AuditRecord"].get("CompanyLegalName", "")) for r in records))
    assert {"LATIN", "CYRILLIC", "CJK", "ARABIC"} <= scripts
    assert all(len(r["RequestNo"]) == 10 and r["RequestNo"].isdigit() for r in records)
    assert any(not r["AuditRecord"].get("WebAddress", "x") for r in records)  # empty
    assert any("WebAddress" not in r["AuditRecord"] for r in records)  # missing
    assert any(e.startswith("[") for r in records for e in r["AuditRecord"].get("MessageDestinationCountry", []))
    assert any("|" in e and not e.startswith("[") for r in records for e in r["AuditRecord"].get("MessageDestinationCountry", []))


def test_the_data_set_is_deterministic():
    first = list(ds.build_dataset().records())
    ds._build.cache_clear()
    assert list(ds.build_dataset().records()) == first
    assert list(ds.build_dataset(seed=7).records()) != first


def test_the_hostile_and_sample_records_are_where_documented():
    hostile = ds.get_record(ds.HOSTILE_REQUEST_NO)
    assert "<script>" in hostile["AuditRecord"]["CompanyLegalName"]
    assert hostile["AuditRecord"]["WebAddress"].startswith("javascript:")
    samples = ds.sample_request_numbers()
    assert {ds.EXAMPLE_REQUEST_NO, ds.HOSTILE_REQUEST_NO} <= set(samples)
    assert all(ds.get_record(number) for number in samples)


def test_a_moving_record_advances_with_time():
    now = [1_000_000.0]
    store = RecordStore(ds.build_dataset(), evolve_seconds=10, clock=lambda: now[0])
    seen = []
    for _ in range(4):
        data = store.lookup(ds.MOVING_REQUEST_NO, None)
        seen.append((data["AuditResult"], data["State"], data["GmtModifier"]))
        now[0] += 10
    assert seen[0][:2] == ("unAudit", "I")
    assert seen[1][:2] == ("auditing", "I")
    assert seen[2][0] in {"pass", "reject"} and seen[2][1] in {"A", "P", "stop"}
    assert seen[3] == seen[2]  # settled
    assert seen[1][2] != seen[0][2] and seen[2][2] == str(int((1_000_000 + 20) * 1000))


def test_a_refresh_sees_a_manual_advance(cams_sdk_client, cams_simulator):
    assert get(cams_sdk_client, ds.MOVING_REQUEST_NO).body.data.audit_result == "unAudit"
    cams_simulator.advance(ds.MOVING_REQUEST_NO)
    assert get(cams_sdk_client, ds.MOVING_REQUEST_NO).body.data.audit_result == "auditing"


def test_settled_records_never_change():
    store = RecordStore(ds.build_dataset(), evolve_seconds=0.001)
    assert store.lookup(ds.EXAMPLE_REQUEST_NO, None) == ds.load_example()["Data"]


# --- control endpoints and the command ------------------------------------------------------------

def test_the_control_endpoints_report_and_configure(cams_simulator):
    def call(method, path):
        request = urllib.request.Request(f"{cams_simulator.url}{path}", method=method, data=b"" if method == "POST" else None)
        with urllib.request.urlopen(request, timeout=5) as response:
            return json.loads(response.read())

    assert call("POST", "/_sim/faults?throttle_rate=1")["throttle_rate"] == 1.0
    assert raw_call(cams_simulator, {"RequestNo": "1"}).json()["Code"] == "Throttling.User"
    assert call("GET", "/_sim/stats")["throttled"] == 1
    assert call("POST", f"/_sim/advance?request_no={ds.MOVING_REQUEST_NO}")["data"]["AuditResult"] == "auditing"
    assert ds.HOSTILE_REQUEST_NO in call("GET", "/_sim/samples")["request_numbers"]
    call("POST", "/_sim/reset")
    assert call("GET", "/_sim/faults")["throttle_rate"] == 0.0


def test_the_command_prints_where_it_listens_and_never_the_secret():
    manage = Path(settings.BASE_DIR) / "manage.py"
    process = subprocess.Popen([sys.executable, str(manage), "cams_simulator", "--port", "0"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline()
    finally:
        process.terminate()
        _, errors = process.communicate(timeout=5)
    assert line, errors
    assert line.startswith("CAMS simulator listening on http://127.0.0.1:")
    assert f"key id: {settings.CAMS_SIMULATOR_ACCESS_KEY_ID}" in line
    assert settings.CAMS_SIMULATOR_ACCESS_KEY_SECRET not in line
