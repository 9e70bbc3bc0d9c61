"""POST a JSON body to a checked target with short timeouts; never raises for network trouble.

The connection goes to the address the SSRF guard approved, with the real host name in the
Host header and for TLS (SNI and certificate check), so the name is resolved exactly once.
"""

import json
import time
from dataclasses import dataclass, field

import urllib3
from urllib3.exceptions import HTTPError as Urllib3Error
from urllib3.exceptions import NewConnectionError
from urllib3.exceptions import TimeoutError as Urllib3Timeout

from .ssrf import Target

EXCERPT_BYTES = 500
MAX_READ_BYTES = 64 * 1024


@dataclass
class Response:
    status: int | None  # None: no HTTP answer (network error or timeout)
    latency_ms: int
    excerpt: str = ""
    error: str = ""
    headers: dict = field(default_factory=dict)
    body_json: object = None

    @property
    def retry_after(self) -> float | None:
        value = self.headers.get("retry-after", "")
        try:
            return max(0.0, float(value)) if value else None
        except ValueError:
            return None  # an HTTP date: treated as "no hint"


def post_json(target: Target, body: bytes, headers: dict, *, connect_timeout: float, read_timeout: float) -> Response:
    timeout = urllib3.Timeout(connect=connect_timeout, read=read_timeout)
    if target.scheme == "https":
        pool = urllib3.HTTPSConnectionPool(
            target.address,
            target.port,
            timeout=timeout,
            retries=False,
            server_hostname=target.host,
            assert_hostname=target.host,
        )
    else:
        pool = urllib3.HTTPConnectionPool(target.address, target.port, timeout=timeout, retries=False)
    host_header = target.host if target.port in (80, 443) else f"{target.host}:{target.port}"
    all_headers = {
        "Content-Type": "application/json",
        "User-Agent": "ViberReview-Notifications/1",
        "Host": host_header,
        **headers,
    }
    started = time.monotonic()
    try:
        reply = pool.urlopen(
            "POST",
            target.path,
            body=body,
            headers=all_headers,
            redirect=False,
            preload_content=False,
            assert_same_host=False,
        )
        data = reply.read(MAX_READ_BYTES, decode_content=True)
        reply.release_conn()
    except NewConnectionError as exc:  # a subclass of the timeout error in urllib3, but a refusal is not slow
        return Response(None, _ms(started), error=f"network error: {exc.__class__.__name__}")
    except Urllib3Timeout as exc:
        return Response(None, _ms(started), error=f"timeout: {exc.__class__.__name__}")
    except (Urllib3Error, OSError) as exc:
        return Response(None, _ms(started), error=f"network error: {exc.__class__.__name__}")
    finally:
        pool.close()
    text = data.decode("utf-8", "replace")
    try:
        parsed = json.loads(text) if text.lstrip().startswith("{") else None
    except ValueError:
        parsed = None
    return Response(
        reply.status,
        _ms(started),
        excerpt=text[:EXCERPT_BYTES],
        headers={k.lower(): v for k, v in reply.headers.items()},
        body_json=parsed,
    )


def _ms(started: float) -> int:
    return int((time.monotonic() - started) * 1000)
