"""The simulator's behaviour, independent of HTTP plumbing: GetViberByRequestNo as the real
gateway answers it, and the ``/_sim/*`` control endpoints.

Request handling order follows the gateway: API lookup, signature, flow control, then the
action itself.
"""

import json
import threading
import time
from urllib.parse import parse_qsl

from . import responses
from .dataset import EXAMPLE_REQUEST_NO, Dataset, load_example, sample_request_numbers
from .evolution import RecordStore
from .faults import FaultConfig, FaultInjector
from .signature import SignatureError, Verifier

ACTION = "GetViberByRequestNo"
VERSION = "2020-06-06"
NOT_FOUND_STYLES = ("data-null", "code")


class Stats:
    """Counters for ``GET /_sim/stats`` (what the tests and load runs assert on)."""

    KEYS = (
        "calls",
        "ok",
        "not_found",
        "throttled",
        "server_errors",
        "malformed",
        "auth_failures",
        "client_errors",
        "control_calls",
    )

    def __init__(self):
        self._lock = threading.Lock()
        self.reset()

    def reset(self):
        with self._lock:
            self.counts = dict.fromkeys(self.KEYS, 0)
            self.by_code: dict[str, int] = {}

    def add(self, key: str, code: str | None = None):
        with self._lock:
            self.counts[key] += 1
            if code:
                self.by_code[code] = self.by_code.get(code, 0) + 1

    def snapshot(self) -> dict:
        with self._lock:
            return {**self.counts, "by_code": dict(self.by_code)}


class Simulator:
    """State shared by all request threads: credentials, records, faults, counters."""

    def __init__(
        self,
        *,
        credentials: dict[str, str],
        dataset: Dataset,
        faults: FaultConfig,
        evolve_seconds: float | None = None,
        not_found_style: str = "data-null",
        control: bool = True,
    ):
        if not_found_style not in NOT_FOUND_STYLES:
            raise ValueError(f"not_found_style must be one of {NOT_FOUND_STYLES}")
        self.verifier = Verifier(credentials)
        self.store = RecordStore(dataset, evolve_seconds)
        self.initial_faults = faults
        self.faults = FaultInjector(faults)
        self.stats = Stats()
        self.not_found_style = not_found_style
        self.control_enabled = control
        # The document's example is served with its own envelope (Success: false, AccessDeniedDetail "{}").
        example = load_example()
        self.example_envelope = {k: example[k] for k in ("Message", "Success", "AccessDeniedDetail") if k in example}

    def handle_api(self, method, path, query, headers, body) -> responses.Reply:
        self.stats.add("calls")
        host_id = (headers.get("host") or [""])[0]
        if path != "/":
            return self._fail("client_errors", responses.error("InvalidApi.NotFound", host_id=host_id))
        if method != "POST":
            return self._fail("client_errors", responses.error("UnsupportedHTTPMethod", host_id=host_id))
        action = (headers.get("x-acs-action") or [""])[0]
        version = (headers.get("x-acs-version") or [""])[0]
        if action and action != ACTION:
            return self._fail("client_errors", responses.error("InvalidApi.NotFound", host_id=host_id))
        if version and version != VERSION:
            return self._fail("client_errors", responses.error("InvalidVersion", host_id=host_id))
        if self.faults.latency_seconds():
            time.sleep(self.faults.latency_seconds())
        try:
            self.verifier.verify(method, path, query, headers, body)
        except SignatureError as exc:
            return self._fail("auth_failures", responses.error(exc.code, exc.message, exc.status, host_id))
        forced = self.faults.forced_error()
        if forced:
            reply = responses.forced_error(forced)
            return self._fail("server_errors" if reply.status >= 500 else "client_errors", reply)
        if self.faults.over_quota() or self.faults.throttled():
            return self._fail("throttled", responses.error("Throttling.User", host_id=host_id))
        server_error = self.faults.server_error()
        if server_error:
            return self._fail("server_errors", responses.error(server_error, host_id=host_id))
        return self._get_viber(dict(parse_qsl(query, keep_blank_values=True)), host_id)

    def _get_viber(self, params: dict, host_id: str) -> responses.Reply:
        request_no = params.get("RequestNo", "").strip()
        if not request_no:
            return self._fail("client_errors", responses.error("MissingRequestNo", host_id=host_id))
        data = self.store.lookup(request_no, params.get("CustSpaceId"))
        if data is None:
            self.stats.add("not_found")
            if self.not_found_style == "code":
                return responses.not_found_code()
            reply = responses.success(None)
        else:
            self.stats.add("ok")
            envelope = self.example_envelope if request_no == EXAMPLE_REQUEST_NO else None
            reply = responses.success(data, envelope=envelope)
        kind = self.faults.malformed()
        if kind:
            self.stats.add("malformed", kind)
            return responses.malformed(kind, reply)
        return reply

    def _fail(self, key: str, reply: responses.Reply) -> responses.Reply:
        self.stats.add(key, reply.code)
        if self.faults.config.omit_request_id:
            return responses.without_request_id(reply)
        return reply

    def handle_control(self, method, path, query, body) -> responses.Reply:
        """The control endpoints: ``/_sim/stats``, ``/_sim/faults``, ``/_sim/advance``, ``/_sim/record``,
        ``/_sim/samples``, ``/_sim/reset``."""
        if not self.control_enabled:
            return responses.control({"error": "control endpoints are disabled"}, 404)
        self.stats.add("control_calls")
        params = dict(parse_qsl(query, keep_blank_values=True))
        if body:
            try:
                params.update(json.loads(body))
            except (ValueError, TypeError):
                return responses.control({"error": "body must be a JSON object"}, 400)
        name = path.removeprefix("/_sim/").strip("/")
        try:
            if name == "stats" and method == "GET":
                return responses.control(self.stats.snapshot())
            if name == "faults":
                if method == "POST":
                    self.faults.update(**{k: _coerce(v) for k, v in params.items()})
                return responses.control(self.faults.config.as_dict())
            if name == "advance" and method == "POST":
                number = str(params.get("request_no", ""))
                if not self.store.advance(number, int(params.get("steps", 1))):
                    return responses.control({"error": f"unknown request_no {number!r}"}, 404)
                return responses.control({"request_no": number, "data": self._current(number)})
            if name == "record" and method == "GET":
                number = str(params.get("request_no", ""))
                data = self._current(number)
                return responses.control({"request_no": number, "data": data}, 200 if data else 404)
            if name == "samples" and method == "GET":
                return responses.control({"request_numbers": sample_request_numbers(self.store.dataset.seed)})
            if name == "reset" and method == "POST":
                self.reset()
                return responses.control({"reset": True})
        except (ValueError, TypeError) as exc:
            return responses.control({"error": str(exc)}, 400)
        return responses.control({"error": f"no control endpoint {method} {path}"}, 404)

    def reset(self):
        """Counters, manual advances, evolution clock and faults back to how the server started.
        The nonce cache is kept: a real gateway does not forget nonces either."""
        self.stats.reset()
        self.store.reset()
        self.faults.configure(self.initial_faults)

    def _current(self, number: str) -> dict | None:
        found = self.store.dataset.get(number)
        return self.store.lookup(number, found[1]) if found else None


def _coerce(value):
    """Query-string values are text; accept JSON literals (``0.5``, ``null``) as well."""
    if not isinstance(value, str):
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value
