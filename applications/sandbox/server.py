"""The CAMS simulator's HTTP server: ``POST /`` is GetViberByRequestNo; ``/_sim/*`` are
control endpoints for tests and demos (never on the API path). See ``app.py`` for behaviour.

Standard library only (``http.server.ThreadingHTTPServer``) so it runs anywhere the project does.
"""

import sys
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from . import responses
from .app import Simulator
from .dataset import DEFAULT_SEED, DEFAULT_SIZE, Dataset
from .faults import FaultConfig
from .signature import EndpointNames, headers_from_message

_WILDCARD_ADDRESSES = {"", "0.0.0.0", "::"}
_LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the SDK's connection pool expects
    server_version = "CamsSimulator/1.0"
    timeout = 30  # idle keep-alive connections do not hold a thread forever
    # Headers and body go out in separate writes; with Nagle on, a keep-alive client waits for
    # the delayed ACK (~40 ms a call), which no real gateway adds.
    disable_nagle_algorithm = True

    def do_POST(self):
        self._dispatch("POST")

    def do_GET(self):
        self._dispatch("GET")

    def do_PUT(self):
        self._dispatch("PUT")

    def do_DELETE(self):
        self._dispatch("DELETE")

    def _dispatch(self, method):
        simulator: Simulator = self.server.simulator
        split = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length > 0 else b""
        try:
            if split.path.startswith("/_sim/"):
                reply = simulator.handle_control(method, split.path, split.query, body)
            else:
                reply = simulator.handle_api(method, split.path, split.query, headers_from_message(self.headers), body)
        except Exception:  # never leak a traceback to the client; the gateway answers InternalError
            self.server.handle_error(self.request, self.client_address)
            reply = responses.error("InternalError")
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(reply.body)))
        if reply.request_id:
            self.send_header("x-acs-request-id", reply.request_id)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(reply.body)

    def log_message(self, format, *args):
        if self.server.verbose:
            sys.stderr.write(f"{self.address_string()} - {format % args}\n")


class SimulatorServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address, simulator: Simulator, verbose: bool = False):
        self.simulator = simulator
        self.verbose = verbose
        self._connections = set()
        self._connections_lock = threading.Lock()
        super().__init__(address, _Handler)

    def process_request(self, request, client_address):
        with self._connections_lock:
            self._connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request):
        with self._connections_lock:
            self._connections.discard(request)
        super().shutdown_request(request)

    def close_connections(self):
        """Cut keep-alive connections so a stopped simulator really stops answering."""
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            try:
                connection.shutdown(2)
            except OSError:
                pass

    def handle_error(self, request, client_address):
        if self.verbose:
            super().handle_error(request, client_address)


def default_credentials() -> tuple[str, str]:
    """The simulator's key pair from settings (demo values when Django is not configured)."""
    try:
        from django.conf import settings

        return settings.CAMS_SIMULATOR_ACCESS_KEY_ID, settings.CAMS_SIMULATOR_ACCESS_KEY_SECRET
    except Exception:  # settings not configured: a bare script or a non-Django test
        return "simulator-demo-key-id", "simulator-demo-key-secret"


def make_server(
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    access_key_id: str | None = None,
    access_key_secret: str | None = None,
    extra_credentials: dict[str, str] | None = None,
    data_seed: int = DEFAULT_SEED,
    size: int = DEFAULT_SIZE,
    evolve_seconds: float | None = None,
    not_found_style: str = "data-null",
    control: bool = True,
    verbose: bool = False,
    endpoint_names=(),
    **faults,
) -> SimulatorServer:
    """Build (bind, not yet serve) a simulator. ``faults`` are FaultConfig fields.

    Signed requests must name this server in their ``host``: its address and port, ``localhost``
    when it listens on loopback, and any of ``endpoint_names`` (host names without the port).
    Bound to every interface with no ``endpoint_names``, any host name at the right port is taken.
    """
    default_id, default_secret = default_credentials()
    credentials = {access_key_id or default_id: access_key_secret or default_secret, **(extra_credentials or {})}
    simulator = Simulator(
        credentials=credentials,
        dataset=Dataset(data_seed, size),
        faults=FaultConfig(**faults),
        evolve_seconds=evolve_seconds,
        not_found_style=not_found_style,
        control=control,
    )
    server = SimulatorServer((host, port), simulator, verbose=verbose)
    simulator.verifier.endpoint = endpoint_for(*server.server_address[:2], extra_names=endpoint_names)
    server.access_key_id = access_key_id or default_id
    server.access_key_secret = access_key_secret or default_secret
    return server


def endpoint_for(address: str, port: int, *, extra_names=()) -> EndpointNames:
    """The host names a server bound to ``address``:``port`` answers to."""
    if address in _WILDCARD_ADDRESSES and not extra_names:
        return EndpointNames((), port)
    names = set(extra_names)
    if address not in _WILDCARD_ADDRESSES:
        names.add(f"[{address}]" if ":" in address else address)
    if address.startswith("127.") or address == "::1":
        names.update(_LOOPBACK_NAMES)
    return EndpointNames(names, port)


@dataclass
class SimulatorHandle:
    """A simulator serving from a daemon thread (see ``start_simulator``)."""

    server: SimulatorServer
    thread: threading.Thread

    @property
    def host(self) -> str:
        return self.server.server_address[0]

    @property
    def port(self) -> int:
        return self.server.server_address[1]

    @property
    def endpoint(self) -> str:
        """``host:port`` as the SDK's ``Config.endpoint`` wants it (no scheme)."""
        return f"{self.host}:{self.port}"

    @property
    def url(self) -> str:
        return f"http://{self.endpoint}"

    @property
    def access_key_id(self) -> str:
        return self.server.access_key_id

    @property
    def access_key_secret(self) -> str:
        return self.server.access_key_secret

    @property
    def simulator(self) -> Simulator:
        return self.server.simulator

    def set_faults(self, **changes) -> FaultConfig:
        return self.simulator.faults.update(**changes)

    def stats(self) -> dict:
        return self.simulator.stats.snapshot()

    def advance(self, request_no: str, steps: int = 1) -> bool:
        return self.simulator.store.advance(request_no, steps)

    def reset(self):
        """Counters, manual advances and faults back to the start (see ``Simulator.reset``)."""
        self.simulator.reset()

    def stop(self):
        self.server.shutdown()
        self.server.close_connections()
        self.server.server_close()
        self.thread.join(timeout=5)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def start_simulator(host: str = "127.0.0.1", port: int = 0, **options) -> SimulatorHandle:
    """Start a simulator in a daemon thread; ``port=0`` picks a free port (see ``handle.endpoint``).

    ``options`` are ``make_server``'s keywords: access_key_id, access_key_secret,
    extra_credentials, data_seed, size, evolve_seconds, not_found_style, control, verbose, and the
    fault knobs latency_ms, error_rate, throttle_rate, max_qps, malformed_rate, malformed_kind, error_code,
    error_code_calls, omit_request_id, seed."""
    server = make_server(host, port, **options)
    thread = threading.Thread(
        target=server.serve_forever,
        kwargs={"poll_interval": 0.05},
        name=f"cams-simulator-{server.server_address[1]}",
        daemon=True,
    )
    thread.start()
    return SimulatorHandle(server, thread)
