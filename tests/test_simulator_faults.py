"""The simulator's injected faults (latency, errors, throttling, malformed bodies) as the SDK meets them."""

import time

import pytest
from alibabacloud_tea_openapi.exceptions import ClientException, ServerException
from darabonba.exceptions import UnretryableException

from applications.sandbox.faults import FaultConfig, FaultInjector, TokenBucket


def test_it_applies_latency(cams_sdk_client, cams_simulator, viber_get):
    started = time.monotonic()
    viber_get(cams_sdk_client)
    fast = time.monotonic() - started
    cams_simulator.set_faults(latency_ms=300)
    started = time.monotonic()
    viber_get(cams_sdk_client)
    assert time.monotonic() - started >= 0.3 > fast


def test_it_injects_server_errors(cams_sdk_client, cams_simulator, viber_get):
    cams_simulator.set_faults(error_rate=1.0, seed=1)
    codes = set()
    for _ in range(6):
        with pytest.raises(ServerException) as caught:
            viber_get(cams_sdk_client)
        codes.add((caught.value.code, caught.value.status_code))
    assert codes == {("InternalError", 500), ("ServiceUnavailable", 503)}


def test_it_injects_throttling(cams_sdk_client, cams_simulator, viber_client_error):
    cams_simulator.set_faults(throttle_rate=1.0)
    error = viber_client_error(cams_sdk_client)
    assert (error.code, error.status_code) == ("Throttling.User", 400)
    assert "Request was denied due to user flow control." in error.message


def test_it_enforces_max_qps(cams_sdk_client, cams_simulator, viber_get):
    cams_simulator.set_faults(max_qps=2)
    outcomes = []
    for _ in range(6):
        try:
            viber_get(cams_sdk_client)
            outcomes.append("ok")
        except ClientException as exc:
            outcomes.append(exc.code)
    assert outcomes[:2] == ["ok", "ok"]
    assert "Throttling.User" in outcomes
    time.sleep(0.6)  # the bucket refills at 2 tokens a second
    assert viber_get(cams_sdk_client).status_code == 200
    assert cams_simulator.stats()["throttled"] == outcomes.count("Throttling.User")


@pytest.mark.parametrize("kind", ["html502", "truncated"])
def test_an_unparseable_body_surfaces_as_unretryable(cams_sdk_client, cams_simulator, kind, viber_get):
    cams_simulator.set_faults(malformed_rate=1.0, malformed_kind=kind)
    with pytest.raises(UnretryableException) as caught:
        viber_get(cams_sdk_client)
    assert caught.value.code is None


def test_data_as_a_string_leaves_the_sdk_body_empty(cams_sdk_client, cams_simulator, viber_get):
    cams_simulator.set_faults(malformed_rate=1.0, malformed_kind="data-string")
    resp = viber_get(cams_sdk_client)
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
