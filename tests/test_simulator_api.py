"""The CAMS simulator as the official SDK sees it over loopback, its control endpoints and its command."""

import json
import subprocess
import sys
import urllib.request
from pathlib import Path

from django.conf import settings

from applications.sandbox import dataset as ds


def test_it_serves_the_document_example_to_the_right_key(cams_sdk_client, viber_get):
    resp = viber_get(cams_sdk_client)
    assert resp.status_code == 200
    assert resp.body.code == "OK"
    assert resp.body.success is False  # the document's own example envelope
    assert resp.body.data.audit_record.company_legal_name == "xxxxxxcompany"
    assert resp.headers["content-type"] == "application/json;charset=utf-8"
    assert resp.headers["x-acs-request-id"] == resp.body.request_id
    assert resp.body.request_id == resp.body.request_id.upper()


def test_it_serves_the_example_data_verbatim(cams_simulator, signed_call):
    reply = signed_call(cams_simulator, {"RequestNo": ds.EXAMPLE_REQUEST_NO})
    assert reply.json()["Data"] == ds.load_example()["Data"]


def test_it_rejects_a_wrong_secret(cams_client_factory, viber_client_error):
    error = viber_client_error(cams_client_factory(access_key_secret="not-the-secret"))
    assert error.code == "SignatureDoesNotMatch"
    assert error.status_code == 400


def test_it_rejects_an_unknown_key_id(cams_client_factory, viber_client_error):
    error = viber_client_error(cams_client_factory(access_key_id="LTAI-unknown"))
    assert error.code == "InvalidAccessKeyId.NotFound"
    assert error.status_code == 404


def test_it_answers_an_unknown_request_number_with_null_data(cams_sdk_client, cams_simulator, viber_get):
    resp = viber_get(cams_sdk_client, request_no="0000000000")
    assert resp.status_code == 200
    assert (resp.body.code, resp.body.success, resp.body.data) == ("OK", True, None)
    assert cams_simulator.stats()["not_found"] == 1


def test_it_can_answer_not_found_with_a_code(cams_simulator_factory, viber_get, cams_client_factory):
    handle = cams_simulator_factory(not_found_style="code")
    resp = viber_get(cams_client_factory(handle), request_no="0000000000")
    assert (resp.status_code, resp.body.code, resp.body.data) == (200, "InvalidParameter.RequestNo", None)


def test_it_hides_a_record_from_another_customer_space(cams_sdk_client, viber_get):
    space = ds.CUST_SPACE_IDS[0]
    assert viber_get(cams_sdk_client, ds.SPACE_REQUEST_NO, space).body.data.request_no == ds.SPACE_REQUEST_NO
    assert viber_get(cams_sdk_client, ds.SPACE_REQUEST_NO, ds.CUST_SPACE_IDS[1]).body.data is None
    assert viber_get(cams_sdk_client, ds.SPACE_REQUEST_NO).body.data is None
    # A record without a space is found with or without one.
    assert viber_get(cams_sdk_client, cust_space_id=space).body.data.request_no == ds.EXAMPLE_REQUEST_NO


def test_it_requires_a_request_number(cams_sdk_client, viber_client_error):
    error = viber_client_error(cams_sdk_client, request_no=None)
    assert (error.code, error.status_code) == ("MissingRequestNo", 400)
    assert "RequestNo is mandatory for this action." in error.message


def test_the_control_endpoints_report_and_configure(cams_simulator, signed_call):
    def call(method, path):
        request = urllib.request.Request(
            f"{cams_simulator.url}{path}", method=method, data=b"" if method == "POST" else None
        )
        with urllib.request.urlopen(request, timeout=5) as response:
            return json.loads(response.read())

    assert call("POST", "/_sim/faults?throttle_rate=1")["throttle_rate"] == 1.0
    assert signed_call(cams_simulator, {"RequestNo": "1"}).json()["Code"] == "Throttling.User"
    assert call("GET", "/_sim/stats")["throttled"] == 1
    assert call("POST", f"/_sim/advance?request_no={ds.MOVING_REQUEST_NO}")["data"]["AuditResult"] == "auditing"
    assert ds.HOSTILE_REQUEST_NO in call("GET", "/_sim/samples")["request_numbers"]
    call("POST", "/_sim/reset")
    assert call("GET", "/_sim/faults")["throttle_rate"] == 0.0


def test_the_command_prints_where_it_listens_and_never_the_secret():
    manage = Path(settings.BASE_DIR) / "manage.py"
    process = subprocess.Popen(
        [sys.executable, str(manage), "cams_simulator", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = process.stdout.readline()
    finally:
        process.terminate()
        _, errors = process.communicate(timeout=5)
    assert line, errors
    assert line.startswith("CAMS simulator listening on http://127.0.0.1:")
    assert f"key id: {settings.CAMS_SIMULATOR_ACCESS_KEY_ID}" in line
    assert settings.CAMS_SIMULATOR_ACCESS_KEY_SECRET not in line
