"""Response bodies shaped like the real CAMS API and the Alibaba Cloud POP gateway.

Success: HTTP 200 ``{RequestId, Code: "OK", Message, Success, AccessDeniedDetail, Data}``.
Errors: ``{RequestId, HostId, Code, Message, Recommend}`` with the gateway's HTTP status.

# Reference: https://www.alibabacloud.com/help/en/chatapp/developer-reference/api-cams-2020-06-06-getviberbyrequestno
# Reference: https://help.aliyun.com/document_detail/435312.html (gateway error codes)
"""

import json
import uuid
from dataclasses import dataclass, field

JSON_TYPE = "application/json;charset=utf-8"
DEFAULT_HOST_ID = "cams.ap-southeast-1.aliyuncs.com"

# Gateway and API errors the simulator can answer: code -> (HTTP status, message).
ERRORS = {
    "MissingRequestNo": (400, "RequestNo is mandatory for this action."),
    "InvalidApi.NotFound": (404, "Specified api is not found, please check your url and method."),
    "InvalidVersion": (400, "Specified parameter Version is not valid."),
    "UnsupportedHTTPMethod": (405, "This http method is not supported."),
    "Throttling.User": (400, "Request was denied due to user flow control."),
    "InternalError": (500, "The request processing has failed due to some unknown error, exception or failure."),
    "ServiceUnavailable": (503, "The request has failed due to a temporary failure of the server."),
    "SignatureNonceUsed": (400, "Specified signature nonce was used already."),
}
# CAMS's own errors come back as HTTP 200 with a non-OK Code (the SDK raises nothing for them).
# Reference: https://help.aliyun.com/document_detail/196974.html (CAMS error codes)
BUSINESS_ERRORS = {
    "999999": "System Exception, try again",
    "Authentication.NoAuth": "No permission for this operation.",
}
NOT_FOUND_CODE = "InvalidParameter.RequestNo"
NOT_FOUND_MESSAGE = "The specified RequestNo does not exist."


@dataclass
class Reply:
    status: int
    body: bytes
    content_type: str = JSON_TYPE
    request_id: str = ""
    headers: dict = field(default_factory=dict)
    code: str = "OK"  # for statistics; not sent as a header


def new_request_id() -> str:
    # Real ids look like 90E63D28-E31D-1EB2-8D29-A94866411B20: an upper-case UUID.
    return str(uuid.uuid4()).upper()


def _dump(payload) -> bytes:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def success(data, request_id: str | None = None, envelope: dict | None = None) -> Reply:
    """``envelope`` overrides Message/Success/AccessDeniedDetail (the document's example says
    ``Success: false`` with ``Code: OK``, and we serve it that way on purpose)."""
    request_id = request_id or new_request_id()
    body = {
        "RequestId": request_id,
        "Code": "OK",
        "Message": "successful",
        "Success": True,
        "AccessDeniedDetail": "",
        "Data": data,
    }
    body.update(envelope or {})
    return Reply(200, _dump(body), request_id=request_id)


def business_error(code: str, message: str, request_id: str | None = None) -> Reply:
    """A CAMS error: HTTP 200 with a non-OK Code and no Data (the SDK raises nothing)."""
    request_id = request_id or new_request_id()
    body = {
        "RequestId": request_id,
        "Code": code,
        "Message": message,
        "Success": False,
        "AccessDeniedDetail": "",
        "Data": None,
    }
    return Reply(200, _dump(body), request_id=request_id, code=code)


def not_found_code(request_id: str | None = None) -> Reply:
    """The alternative not-found style (a CAMS error code rather than null Data)."""
    return business_error(NOT_FOUND_CODE, NOT_FOUND_MESSAGE, request_id)


def forced_error(code: str) -> Reply:
    """What the fault knob ``error_code`` answers: a CAMS error on HTTP 200, or a gateway error."""
    if code in BUSINESS_ERRORS:
        return business_error(code, BUSINESS_ERRORS[code])
    return error(code)


def without_request_id(reply: Reply) -> Reply:
    """The same error with no RequestId in the body or the headers."""
    try:
        payload = json.loads(reply.body)
    except ValueError:
        return reply
    if not isinstance(payload, dict):
        return reply
    payload.pop("RequestId", None)
    if "Recommend" in payload:
        payload["Recommend"] = payload["Recommend"].partition("&requestId=")[0]
    return Reply(reply.status, _dump(payload), reply.content_type, "", dict(reply.headers), reply.code)


def error(code: str, message: str | None = None, status: int | None = None, host_id: str = "") -> Reply:
    known_status, known_message = ERRORS.get(code, (400, code))
    request_id = new_request_id()
    body = {
        "RequestId": request_id,
        "HostId": host_id or DEFAULT_HOST_ID,
        "Code": code,
        "Message": message or known_message,
        "Recommend": f"https://api.aliyun.com/troubleshoot?q={code}&product=cams&requestId={request_id}",
    }
    return Reply(status or known_status, _dump(body), request_id=request_id, code=code)


def malformed(kind: str, good: Reply) -> Reply:
    """Corrupt a successful reply the ways intermediaries and bugs do."""
    if kind == "html502":
        page = (
            b"<html><head><title>502 Bad Gateway</title></head>"
            b"<body><center><h1>502 Bad Gateway</h1></center></body></html>"
        )
        return Reply(502, page, content_type="text/html", request_id=good.request_id, code="Malformed.html502")
    if kind == "truncated":
        return Reply(
            200, good.body[: max(1, len(good.body) // 2)], request_id=good.request_id, code="Malformed.truncated"
        )
    # "data-string": Data arrives as a JSON string; the SDK's from_map then leaves body None.
    payload = json.loads(good.body)
    payload["Data"] = json.dumps(payload.get("Data"), ensure_ascii=False)
    return Reply(200, _dump(payload), request_id=good.request_id, code="Malformed.data-string")


def control(payload, status: int = 200) -> Reply:
    return Reply(status, _dump(payload), code="control")
