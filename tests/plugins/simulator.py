"""Pytest fixtures around the CAMS simulator (loaded by tests/conftest.py).

- ``cams_simulator_session``: one simulator for the session (free port, daemon thread).
- ``cams_simulator``: the same simulator, with faults, counters and manual advances reset
  before and after the test.
- ``cams_simulator_factory``: ``factory(**options)`` starts a private simulator (e.g.
  ``not_found_style="code"``, ``evolve_seconds=1``); all are stopped at teardown.
- ``cams_client_factory``: ``factory(handle=None, access_key_id=None, access_key_secret=None,
  **config)`` builds the official SDK client against a simulator.
- ``cams_sdk_client``: the official SDK client with the right key pair.
- ``signed_call``: ``signed_call(handle, query, **sign_options) -> RawReply`` sends a request
  signed by our own helper with urllib (for nonce replay, stale dates, odd headers).
- ``viber_get``: ``viber_get(client, request_no=example, cust_space_id=None)`` calls
  GetViberByRequestNo through an SDK client; ``viber_client_error`` expects a ClientException
  from the same call and returns it.
"""

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlencode

import pytest
from alibabacloud_cams20200606 import models as cams_models
from alibabacloud_tea_openapi.exceptions import ClientException

from applications.sandbox.dataset import EXAMPLE_REQUEST_NO
from applications.sandbox.server import SimulatorHandle, start_simulator
from applications.sandbox.signature import sign_headers

ACTION = "GetViberByRequestNo"
VERSION = "2020-06-06"


def make_sdk_client(handle: SimulatorHandle, access_key_id=None, access_key_secret=None, **config):
    """The official SDK client pointed at ``handle``. The key pair is always passed explicitly:
    alibabacloud_credentials reads environment variables at import time, so an ambient key
    would otherwise win."""
    from alibabacloud_cams20200606.client import Client
    from alibabacloud_tea_openapi.models import Config

    config.setdefault("connect_timeout", 2000)
    config.setdefault("read_timeout", 5000)
    return Client(
        Config(
            endpoint=handle.endpoint,
            protocol="http",
            access_key_id=access_key_id or handle.access_key_id,
            access_key_secret=access_key_secret or handle.access_key_secret,
            **config,
        )
    )


@dataclass
class RawReply:
    status: int
    headers: dict
    body: bytes

    def json(self):
        return json.loads(self.body)


def raw_call(
    handle: SimulatorHandle,
    query: dict | None = None,
    *,
    body: bytes = b"",
    headers: dict | None = None,
    access_key_id=None,
    access_key_secret=None,
    action=ACTION,
    version=VERSION,
    **sign_options,
) -> RawReply:
    """POST / with our own signature (see ``signature.sign_headers``), or exactly ``headers`` if given."""
    query = query or {}
    if headers is None:
        headers = sign_headers(
            access_key_id=access_key_id or handle.access_key_id,
            access_key_secret=access_key_secret or handle.access_key_secret,
            host=handle.endpoint,
            action=action,
            version=version,
            query=query,
            **sign_options,
        )
    url = f"{handle.url}/?{urlencode(query)}" if query else f"{handle.url}/"
    request = urllib.request.Request(url, data=body, method="POST", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return RawReply(response.status, dict(response.headers), response.read())
    except urllib.error.HTTPError as exc:
        return RawReply(exc.code, dict(exc.headers), exc.read())


@pytest.fixture(scope="session")
def cams_simulator_session():
    handle = start_simulator()
    yield handle
    handle.stop()


@pytest.fixture
def cams_simulator(cams_simulator_session):
    cams_simulator_session.reset()
    yield cams_simulator_session
    cams_simulator_session.reset()


@pytest.fixture
def cams_simulator_factory():
    started = []

    def factory(**options) -> SimulatorHandle:
        handle = start_simulator(**options)
        started.append(handle)
        return handle

    yield factory
    for handle in started:
        handle.stop()


@pytest.fixture
def cams_client_factory(cams_simulator):
    def factory(handle=None, access_key_id=None, access_key_secret=None, **config):
        return make_sdk_client(handle or cams_simulator, access_key_id, access_key_secret, **config)

    return factory


@pytest.fixture
def cams_sdk_client(cams_client_factory):
    return cams_client_factory()


@pytest.fixture
def signed_call():
    return raw_call


def _viber_get(client, request_no=EXAMPLE_REQUEST_NO, cust_space_id=None):
    return client.get_viber_by_request_no(
        cams_models.GetViberByRequestNoRequest(request_no=request_no, cust_space_id=cust_space_id)
    )


@pytest.fixture
def viber_get():
    return _viber_get


@pytest.fixture
def viber_client_error():
    def call(client, **kwargs) -> ClientException:
        with pytest.raises(ClientException) as caught:
            _viber_get(client, **kwargs)
        return caught.value

    return call
