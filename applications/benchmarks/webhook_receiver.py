"""Local webhook receivers on loopback for the notification tests and ``bench_notify``.

A receiver records every request (arrival time, headers, body) and answers what its ``behaviour``
says: ``behaviour(index, headers, body) -> Reply``. ``refusing_url()`` names a port nobody listens on.
"""

import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Reply:
    status: int = 200
    body: bytes = b'{"ok":true}'
    headers: dict = field(default_factory=dict)
    delay: float = 0.0


@dataclass
class Received:
    at: float  # time.time() on arrival
    path: str
    headers: dict
    body: bytes


def always_ok(index, headers, body) -> Reply:
    return Reply()


class Receiver:
    def __init__(self, behaviour=always_ok):
        self.behaviour = behaviour
        self.received: list[Received] = []
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):  # noqa: N802 (http.server's naming)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                headers = {k.lower(): v for k, v in self.headers.items()}
                with receiver.lock:
                    index = len(receiver.received)
                    receiver.received.append(Received(time.time(), self.path, headers, body))
                reply = receiver.behaviour(index, headers, body)
                if reply.delay:
                    time.sleep(reply.delay)
                try:
                    self.send_response(reply.status)
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(reply.body)))
                    self.send_header("Content-Type", "application/json")
                    self.end_headers()
                    self.wfile.write(reply.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the sender gave up (timeout) or was killed: it is recorded anyway

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.server.request_queue_size = 128
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    def count(self) -> int:
        with self.lock:
            return len(self.received)

    def snapshot(self) -> list[Received]:
        with self.lock:
            return list(self.received)

    def wait_for(self, count: int, timeout: float = 10) -> list[Received]:
        deadline = time.monotonic() + timeout
        while self.count() < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return self.snapshot()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


def refusing_url() -> str:
    """A loopback URL whose port was free a moment ago: connections are refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/hook"
