"""The one place that talks to CAMS: builds the official SDK client and calls GetViberByRequestNo.

Everything the SDK can throw (or quietly return: HTTP 200 with a non-OK ``Code``, a body the
typed model could not map) becomes one of the domain errors in ``errors``; callers never see
an SDK type. No retries here, but one: the SDK's retry policy is opt-in and blind to our shared
rate limit, so retrying is the caller's decision (refresh tasks back off, page views do not). The
exception is a refused signature nonce, which the gateway rejects unprocessed: that call is sent
once more at once, freshly signed.

# Reference: https://www.alibabacloud.com/help/en/chatapp/developer-reference/api-cams-2020-06-06-getviberbyrequestno
# Reference: https://help.aliyun.com/document_detail/196974.html (CAMS error codes); how the SDK
# surfaces errors and reads credentials: docs/cams-api-facts.md §3 and §6
"""

import functools
import logging
import threading
from dataclasses import dataclass

from alibabacloud_cams20200606 import models as cams_models
from alibabacloud_cams20200606.client import Client as CamsSdkClient
from alibabacloud_credentials.client import Client as CredentialClient
from alibabacloud_tea_openapi import models as openapi_models
from darabonba.exceptions import ResponseException, UnretryableException
from darabonba.runtime import RuntimeOptions
from django.conf import settings

from . import errors
from .parsing import ParsedApplication, content_hash, parse_application

logger = logging.getLogger(__name__)

# Gateway codes (Alibaba Cloud POP) and the few CAMS codes we can recognise.
_THROTTLING_PREFIXES = ("Throttling",)
_AUTH_PREFIXES = (
    "InvalidAccessKeyId",
    "SignatureDoesNotMatch",
    "InvalidSecurityToken",
    "Forbidden",
    "NoPermission",
    "Authentication",
    "InvalidCredentials",
    "IncompleteSignature",
    "InvalidTimeStamp",
)
_NOT_FOUND_CODES = {"NotFound", "InvalidParameter.RequestNo", "DataNotExist", "Viber.NotExist", "RequestNo.NotExist"}
_UNAVAILABLE_PREFIXES = ("ServiceUnavailable", "InternalError", "ServerBusy", "Unknown")
# Codes whose request was not processed and may succeed when sent again: CAMS's "999999" is
# "System Exception, try again" on its error-code page; "SignatureNonceUsed" means the gateway saw
# our nonce before (the SDK draws a new one per call, so the next call is a different request).
# Reference: https://help.aliyun.com/document_detail/196974.html
NONCE_USED = "SignatureNonceUsed"
_TRANSIENT_CODES = {"999999", NONCE_USED}


@dataclass
class FetchedApplication:
    """A successful answer: the record plus what support needs to trace it.

    ``content_hash`` is the hash of ``Data`` as received; ``parsed`` is worked out on first use.
    A background refresh whose content is already stored (most of them) needs only the hash, and
    parsing was about 7 % of its CPU. ``Data`` is known to be an object, the one thing
    ``parse_application`` refuses; should parsing still fail, the answer is unreadable upstream
    data (``UpstreamUnavailable``), as when it was parsed on arrival, never a crash.
    """

    request_id: str
    body: dict
    content_hash: str

    @functools.cached_property
    def parsed(self) -> ParsedApplication:
        try:
            return parse_application(self.body["Data"])
        except ValueError as exc:
            raise errors.UpstreamUnavailable(
                f"CAMS answered with unreadable data: {exc}", code="OK", request_id=self.request_id
            ) from exc


class _RawKeepingClient(CamsSdkClient):
    """The SDK client, keeping the raw JSON body of the last call.

    The typed response model drops fields it does not know and, on a malformed shape, silently
    returns ``body=None``; the raw body lets us keep unknown fields and explain failures. One
    instance per thread (see ``_client``), so ``last_raw`` is never shared between calls.
    """

    last_raw = None

    def call_api(self, params, request, runtime):
        self.last_raw = None
        self.last_raw = super().call_api(params, request, runtime)
        return self.last_raw


_local = threading.local()


def _config_key():
    return (
        settings.CAMS_ENDPOINT,
        settings.CAMS_PROTOCOL,
        settings.CAMS_REGION_ID,
        settings.CAMS_ACCESS_KEY_ID,
        settings.CAMS_ACCESS_KEY_SECRET,
        settings.CAMS_SECURITY_TOKEN,
        settings.CAMS_CONNECT_TIMEOUT_MS,
        settings.CAMS_READ_TIMEOUT_MS,
    )


def build_sdk_config() -> openapi_models.Config:
    """SDK Config from settings: explicit keys when given, else Alibaba Cloud's credential chain."""
    config = openapi_models.Config(
        region_id=settings.CAMS_REGION_ID,
        protocol=settings.CAMS_PROTOCOL,
        connect_timeout=settings.CAMS_CONNECT_TIMEOUT_MS,
        read_timeout=settings.CAMS_READ_TIMEOUT_MS,
        user_agent="viber-review",
    )
    if settings.CAMS_ENDPOINT:
        config.endpoint = settings.CAMS_ENDPOINT
    if settings.CAMS_ACCESS_KEY_ID and settings.CAMS_ACCESS_KEY_SECRET:
        config.access_key_id = settings.CAMS_ACCESS_KEY_ID
        config.access_key_secret = settings.CAMS_ACCESS_KEY_SECRET
        if settings.CAMS_SECURITY_TOKEN:
            config.security_token = settings.CAMS_SECURITY_TOKEN
    else:
        # tea-openapi does not fall back to the chain by itself (docs/cams-api-facts.md §6): hand it over.
        config.credential = _default_credential()
    return config


@functools.cache
def _default_credential() -> CredentialClient:
    # One chain per process: its ECS provider starts a refresh thread, and it caches what it found.
    return CredentialClient()


def _client() -> _RawKeepingClient:
    key = _config_key()
    if getattr(_local, "key", None) != key:
        _local.client = _RawKeepingClient(build_sdk_config())
        _local.key = key
    return _local.client


def fetch_application(*, request_no: str, cust_space_id: str = "") -> FetchedApplication:
    """Call GetViberByRequestNo once (network). Returns the parsed record or raises a CamsError."""
    # No space chosen means the configured default one (none at all when that is empty too).
    cust_space_id = cust_space_id or settings.CAMS_DEFAULT_CUST_SPACE_ID or None
    request = cams_models.GetViberByRequestNoRequest(request_no=request_no, cust_space_id=cust_space_id)
    runtime = RuntimeOptions(
        connect_timeout=settings.CAMS_CONNECT_TIMEOUT_MS, read_timeout=settings.CAMS_READ_TIMEOUT_MS
    )
    client = _client()
    try:
        response = _call_once_more_on_used_nonce(client, request, runtime)
    except Exception as exc:  # every SDK failure path, mapped below; nothing escapes unmapped
        raise map_exception(exc) from exc
    raw = client.last_raw or {}
    return interpret_response(raw.get("body"), status=raw.get("statusCode"), typed_ok=response.body is not None)


def _call_once_more_on_used_nonce(client, request, runtime):
    """The SDK call; a used nonce gets one more try, which the SDK signs with a fresh nonce.

    The gateway refuses such a call before doing anything, so sending it again cannot act twice.
    Only once: a second refusal means something else is wrong (a replaying proxy, a broken clock
    source of randomness), and the caller's own back-off handles it as a transient error.
    """
    try:
        return client.get_viber_by_request_no_with_options(request, runtime)
    except ResponseException as exc:
        if _sdk_text(exc.code) != NONCE_USED:
            raise
        logger.info(
            "CAMS refused a used signature nonce (RequestId %s); sending once more",
            _sdk_text(getattr(exc, "request_id", None)) or "-",
        )
    return client.get_viber_by_request_no_with_options(request, runtime)


def _sdk_text(value) -> str:
    """An SDK exception attribute as text: the SDK formats missing values as the string "None"."""
    if value is None:
        return ""
    text = str(value).strip()
    return "" if text == "None" else text


def interpret_response(body, *, status=200, typed_ok=True) -> FetchedApplication:
    """Decide what an HTTP-2xx answer means. ``Success`` is ignored: only ``Code == "OK"`` counts."""
    if not isinstance(body, dict):
        raise errors.UpstreamUnavailable(f"CAMS answered HTTP {status} with a body that is not a JSON object")
    code = str(body.get("Code") or "")
    request_id = str(body.get("RequestId") or "").strip()
    message = str(body.get("Message") or "")
    if code != "OK":
        raise classify_code(code, message=message, request_id=request_id, status=status)
    data = body.get("Data")
    if data is None or data == {} or data == "":
        raise errors.NotFound(
            "CAMS returned no application for this request number",
            code=code,
            request_id=request_id,
            upstream_status=status,
        )
    if not isinstance(data, dict) or not typed_ok:
        raise errors.UpstreamUnavailable(
            "CAMS answered with a malformed Data object", code=code, request_id=request_id, upstream_status=status
        )
    return FetchedApplication(request_id=request_id, body=body, content_hash=content_hash(data))


def classify_code(code: str, *, message="", request_id="", status=None, retry_after=None) -> errors.CamsError:
    """Map an upstream error ``Code`` (and HTTP status) to a domain error."""
    kwargs = dict(code=code, request_id=request_id, upstream_status=status)
    text = message or code or f"HTTP {status}"
    if code.startswith(_THROTTLING_PREFIXES) or status == 429:
        return errors.Throttled(text, retry_after=retry_after, **kwargs)
    if code in _TRANSIENT_CODES:
        return errors.UpstreamUnavailable(text, **kwargs)
    if code.startswith(_AUTH_PREFIXES) or status in (401, 403):
        return errors.AuthError(text, **kwargs)
    if code in _NOT_FOUND_CODES or code.endswith(".NotFound") and not code.startswith("InvalidApi"):
        return errors.NotFound(text, **kwargs)
    if code.startswith(_UNAVAILABLE_PREFIXES) or (status or 0) >= 500:
        return errors.UpstreamUnavailable(text, **kwargs)
    return errors.InvalidRequest(text, **kwargs)


def map_exception(exc: Exception) -> errors.CamsError:
    """Turn anything the SDK raised into a domain error, keeping code and RequestId."""
    if isinstance(exc, ResponseException):
        status = getattr(exc, "status_code", None)
        data = exc.data if isinstance(exc.data, dict) else {}
        code = _sdk_text(exc.code)
        # From the body, not from the exception: the SDK writes absent values into its attributes
        # and its message as "None" ("code: 400, None request id: None").
        message = _sdk_text(data.get("Message") or data.get("message"))
        request_id = _sdk_text(data.get("RequestId") or data.get("requestId"))
        retry_after = getattr(exc, "retry_after", None)
        retry_after = retry_after / 1000 if isinstance(retry_after, (int, float)) and retry_after > 0 else None
        if status is not None and status >= 500 and not code.startswith(_THROTTLING_PREFIXES):
            return errors.UpstreamUnavailable(
                message or f"CAMS answered HTTP {status}", code=code, request_id=request_id, upstream_status=status
            )
        return classify_code(code, message=message, request_id=request_id, status=status, retry_after=retry_after)
    if isinstance(exc, UnretryableException):
        inner = getattr(exc, "inner_exception", None)
        name = type(inner).__name__ if inner is not None else type(exc).__name__
        if "Credential" in name:
            return errors.AuthError(f"No usable Alibaba Cloud credentials: {inner}", code="InvalidCredentials")
        if inner is not None and type(inner).__name__ == "RetryError":
            detail = str(getattr(inner, "message", inner))
            if "timed out" in detail.lower() or "timeout" in detail.lower():
                return errors.UpstreamUnavailable("CAMS did not answer in time", code="Timeout")
            logger.warning("CAMS connection failed: %s", detail[:500])
            return errors.UpstreamUnavailable("Could not connect to CAMS", code="ConnectionError")
        return errors.UpstreamUnavailable("CAMS answered something unreadable", code="MalformedResponse")
    if "Credential" in type(exc).__name__:
        return errors.AuthError(f"No usable Alibaba Cloud credentials: {exc}", code="InvalidCredentials")
    logger.exception("Unexpected error calling CAMS")
    return errors.UpstreamUnavailable(f"Unexpected error calling CAMS ({type(exc).__name__})", code="ClientError")
