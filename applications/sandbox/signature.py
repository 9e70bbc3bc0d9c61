"""ACS3-HMAC-SHA256 request verification for the CAMS simulator.

Written from the specification (docs/cams-api-facts.md §4 and the Alibaba Cloud V3
signature documentation), deliberately *not* from the SDK's signer: if both sides shared code,
a bug in it would be invisible. Nothing here imports alibabacloud packages.

# Reference: https://help.aliyun.com/document_detail/2593177.html
"""

import hashlib
import hmac
import threading
import time
import uuid
from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import parse_qsl, quote, urlencode

ALGORITHM = "ACS3-HMAC-SHA256"
EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()
# The gateway refuses a request unless these are present *and* covered by the signature;
# otherwise a captured request could be replayed with a new date or nonce.
REQUIRED_SIGNED_HEADERS = (
    "host",
    "x-acs-action",
    "x-acs-version",
    "x-acs-date",
    "x-acs-signature-nonce",
    "x-acs-content-sha256",
)
# Present means signed: otherwise a relay could add or change them without breaking the signature.
ALWAYS_SIGNED_PREFIX = "x-acs-"
SIGNED_IF_PRESENT = ("content-type",)
MAX_CLOCK_SKEW_SECONDS = 15 * 60
FORM_CONTENT_TYPE = "application/x-www-form-urlencoded"
DATE_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


class SignatureError(Exception):
    """A request the gateway would refuse; ``code``/``status`` are what it answers with."""

    def __init__(self, code: str, message: str, status: int = 400):
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status


@dataclass(frozen=True)
class Authorization:
    access_key_id: str
    signed_headers: tuple[str, ...]
    signature: str


def canonical_query_string(query_string: str) -> str:
    """Rebuild from *decoded* values: the SDK sends quote_plus on the wire but signs RFC 3986."""
    pairs = parse_qsl(query_string or "", keep_blank_values=True)
    return "&".join(f"{key}={quote(value, safe='~')}" for key, value in sorted(pairs))


def canonical_headers(headers, signed: tuple[str, ...]) -> str:
    """``name:value\\n`` for each signed header; ``headers`` maps lower-case names to lists of values."""
    lines = []
    for name in signed:
        values = sorted(value.strip() for value in headers.get(name, []))
        lines.append(f"{name}:{','.join(values)}\n")
    return "".join(lines)


def canonical_request(method, path, query_string, headers, signed, payload_hash) -> str:
    return "\n".join(
        (
            method.upper(),
            path or "/",
            canonical_query_string(query_string),
            canonical_headers(headers, signed),
            ";".join(signed),
            payload_hash,
        )
    )


def compute_signature(secret: str, creq: str) -> str:
    string_to_sign = f"{ALGORITHM}\n{hashlib.sha256(creq.encode('utf-8')).hexdigest()}"
    return hmac.new(secret.encode("utf-8"), string_to_sign.encode("utf-8"), hashlib.sha256).hexdigest()


def parse_authorization(value: str | None) -> Authorization:
    """``ACS3-HMAC-SHA256 Credential=<id>,SignedHeaders=<a;b>,Signature=<hex>``."""
    if not value:
        raise SignatureError("MissingAuthorization", "The Authorization header is missing.")
    algorithm, _, rest = value.strip().partition(" ")
    if algorithm != ALGORITHM:
        raise SignatureError("InvalidAuthorization.Algorithm", f"Unsupported signature algorithm {algorithm!r}.")
    parts = {}
    for item in rest.split(","):
        key, sep, val = item.strip().partition("=")
        if sep:
            parts[key] = val
    if not all(parts.get(k) for k in ("Credential", "SignedHeaders", "Signature")):
        raise SignatureError("IncompleteSignature", "The request signature does not conform to Aliyun standards.")
    signed = tuple(h.strip().lower() for h in parts["SignedHeaders"].split(";") if h.strip())
    return Authorization(parts["Credential"], signed, parts["Signature"].lower())


class NonceCache:
    """Nonces seen recently. Bounded and time-expiring: a nonce only matters while its date is
    still accepted, so entries older than twice the skew window can be forgotten."""

    def __init__(self, ttl_seconds: float = 2 * MAX_CLOCK_SKEW_SECONDS, max_size: int = 100_000, clock=time.monotonic):
        self.ttl = ttl_seconds
        self.max_size = max_size
        self.clock = clock
        self._seen: OrderedDict[str, float] = OrderedDict()
        self._lock = threading.Lock()

    def add(self, nonce: str) -> bool:
        """Record ``nonce``; False if it was already seen (a replay)."""
        now = self.clock()
        with self._lock:
            while self._seen:
                oldest, expires = next(iter(self._seen.items()))
                if expires > now and len(self._seen) < self.max_size:
                    break
                del self._seen[oldest]
            if nonce in self._seen:
                return False
            self._seen[nonce] = now + self.ttl
            return True

    def __len__(self):
        return len(self._seen)


class EndpointNames:
    """The ``host[:port]`` values that name the endpoint a simulator serves.

    ``names`` are host names without a port; ``port`` is the port they are reached on. With no
    names (a server bound to every interface, whose callers may use any DNS name), any syntactically
    plain host name at that port is accepted.
    """

    def __init__(self, names=(), port: int | None = None):
        self.names = frozenset(name.lower() for name in names)
        self.port = port

    def __contains__(self, host: str) -> bool:
        name, port = _split_host(host.strip().lower())
        if name is None or port != self.port:
            return False
        return name in self.names if self.names else True

    def __repr__(self):
        return f"EndpointNames({sorted(self.names)!r}, port={self.port})"


def _split_host(host: str) -> tuple[str | None, int | None]:
    """``name:port`` / ``[v6]:port`` to (name, port); (None, None) when it is not a plain host.
    The SDK sends ``Config.endpoint`` verbatim, so a scheme or path there ends up here too."""
    name, sep, port_text = host.rpartition(":")
    if not sep or not port_text.isdigit() or not name:
        return None, None
    if name.startswith("["):
        if not name.endswith("]"):
            return None, None
    elif not all(part and (part.isalnum() or set(part) <= _HOST_CHARACTERS) for part in name.split(".")):
        return None, None
    return name, int(port_text)


_HOST_CHARACTERS = set("abcdefghijklmnopqrstuvwxyz0123456789-_")


class Verifier:
    """Checks a request as the POP gateway does; returns the access key id on success.

    ``endpoint`` (an ``EndpointNames``, or any container of accepted hosts) is what the signed
    ``host`` header must name; None accepts any host (for checking captured requests offline).
    """

    def __init__(
        self,
        credentials: dict[str, str],
        nonces: NonceCache | None = None,
        max_skew_seconds: float = MAX_CLOCK_SKEW_SECONDS,
        clock=time.time,
        endpoint=None,
    ):
        self.credentials = dict(credentials)
        self.nonces = nonces or NonceCache()
        self.max_skew = max_skew_seconds
        self.clock = clock
        self.endpoint = endpoint

    def verify(self, method: str, path: str, query_string: str, headers, body: bytes = b"") -> str:
        """``headers`` maps lower-case names to lists of values (see ``headers_from_message``)."""
        auth = parse_authorization(_first(headers, "authorization"))
        for name in REQUIRED_SIGNED_HEADERS:
            if not _first(headers, name):
                raise SignatureError("MissingParameter", f"The required header {name} is missing.")
            if name not in auth.signed_headers:
                raise SignatureError("IncompleteSignature", f"The header {name} must be signed.")
        for name in sorted(headers):
            must_sign = name.startswith(ALWAYS_SIGNED_PREFIX) or name in SIGNED_IF_PRESENT
            if must_sign and name not in auth.signed_headers:
                raise SignatureError("IncompleteSignature", f"The header {name} is present and must be signed.")
        for name in auth.signed_headers:
            if name not in headers:
                raise SignatureError("IncompleteSignature", f"The signed header {name} is missing.")
        host = _first(headers, "host")
        if len(headers.get("host", [])) > 1 or (self.endpoint is not None and host not in self.endpoint):
            # What a gateway reached under another name answers: its own calculation differs.
            raise SignatureError(
                "SignatureDoesNotMatch",
                "Specified signature does not match our calculation: "
                f"the signed host {host[:100]!r} does not name this endpoint.",
            )
        self._check_date(_first(headers, "x-acs-date"))
        secret = self.credentials.get(auth.access_key_id)
        if secret is None:
            raise SignatureError("InvalidAccessKeyId.NotFound", "Specified access key is not found.", 404)
        payload_hash = _first(headers, "x-acs-content-sha256").strip().lower()
        creq = canonical_request(method, path, query_string, headers, auth.signed_headers, payload_hash)
        expected = compute_signature(secret, creq)
        if not hmac.compare_digest(expected, auth.signature):
            raise SignatureError(
                "SignatureDoesNotMatch",
                "Specified signature does not match our calculation.",
            )
        # Checked after the signature so a forged request cannot probe the body hash.
        if not hmac.compare_digest(payload_hash, hashlib.sha256(body).hexdigest()):
            raise SignatureError("InvalidParameter.ContentSHA256", "x-acs-content-sha256 does not match the body.")
        # Recorded only once the signature is good, so forgeries cannot burn real nonces.
        if not self.nonces.add(_first(headers, "x-acs-signature-nonce")):
            raise SignatureError("SignatureNonceUsed", "Specified signature nonce was used already.")
        return auth.access_key_id

    def _check_date(self, value: str):
        try:
            sent = datetime.strptime(value.strip(), DATE_FORMAT).replace(tzinfo=UTC).timestamp()
        except ValueError:
            raise SignatureError(
                "InvalidTimeStamp.Format", "Specified time stamp or date value is not well formatted."
            ) from None
        if abs(self.clock() - sent) > self.max_skew:
            raise SignatureError("InvalidTimeStamp.Expired", "Specified time stamp or date value is expired.")


def headers_from_message(message) -> dict[str, list[str]]:
    """``http.server``'s header object to ``{lower-name: [values]}`` (keeps repeated headers)."""
    out: dict[str, list[str]] = {}
    for name, value in message.items():
        out.setdefault(name.lower(), []).append(value)
    return out


def sign_headers(
    *,
    access_key_id: str,
    access_key_secret: str,
    host: str,
    action: str,
    version: str,
    query: dict[str, str] | None = None,
    body: bytes = b"",
    nonce: str | None = None,
    date: str | None = None,
    extra_headers: dict[str, str] | None = None,
    content_type: str | None = FORM_CONTENT_TYPE,
) -> dict[str, str]:
    """Headers for a signed POST to ``/``: used by tests and tools to talk to the simulator
    without the SDK (e.g. to replay a nonce on purpose).

    ``content_type`` is sent and signed (a present content-type must be signed). The default is
    what ``urllib.request`` adds to every POST anyway; None leaves it out, as the SDK does when
    there is no body."""
    headers = {
        "host": host,
        "x-acs-action": action,
        "x-acs-version": version,
        "x-acs-date": date or datetime.now(UTC).strftime(DATE_FORMAT),
        "x-acs-signature-nonce": nonce or uuid.uuid4().hex,
        "x-acs-content-sha256": hashlib.sha256(body).hexdigest(),
        "accept": "application/json",
    }
    if content_type is not None:
        headers["content-type"] = content_type
    headers.update({k.lower(): v for k, v in (extra_headers or {}).items()})
    signed = tuple(sorted(headers))
    creq = canonical_request(
        "POST",
        "/",
        urlencode(query or {}),
        {k: [v] for k, v in headers.items()},
        signed,
        headers["x-acs-content-sha256"],
    )
    headers["authorization"] = (
        f"{ALGORITHM} Credential={access_key_id},SignedHeaders={';'.join(signed)},"
        f"Signature={compute_signature(access_key_secret, creq)}"
    )
    return headers


def _first(headers, name: str) -> str:
    values = headers.get(name) or []
    return values[0] if values else ""
