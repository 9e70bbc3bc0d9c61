"""The few domain errors the rest of the project sees instead of SDK exceptions.

Each keeps what support needs to chase a failure with Alibaba Cloud: the upstream
``Code``, its message and the ``RequestId``. ``transient`` says whether trying again later
can help (throttling, outages) or not (unknown request number, bad credentials). Titles are
translatable and read in the language active where they are shown; CAMS's own message is not.
"""

from django.utils.translation import gettext_lazy as _


class CamsError(Exception):
    kind = "error"
    title = _("CAMS request failed")
    transient = False
    http_status = 502

    def __init__(self, message="", *, code="", request_id="", upstream_status=None, retry_after=None):
        super().__init__(message or str(self.title))
        self.message = message or str(self.title)
        self.code = code or ""
        self.request_id = (request_id or "").strip()
        self.upstream_status = upstream_status
        self.retry_after = retry_after  # seconds, when upstream said

    def as_dict(self):
        return {
            "error": self.kind,
            "title": str(self.title),
            "message": self.message,
            "code": self.code,
            "request_id": self.request_id,
            "transient": self.transient,
        }

    def __repr__(self):
        return f"{type(self).__name__}(code={self.code!r}, request_id={self.request_id!r}, message={self.message!r})"


class NotFound(CamsError):
    kind = "not_found"
    title = _("No application with this request number")
    http_status = 404


class Throttled(CamsError):
    kind = "throttled"
    title = _("CAMS is throttling our requests")
    transient = True
    http_status = 429


class AuthError(CamsError):
    kind = "auth"
    title = _("CAMS rejected our credentials or permissions")
    http_status = 502


class InvalidRequest(CamsError):
    kind = "invalid_request"
    title = _("CAMS rejected the request as invalid")
    http_status = 400


class UpstreamUnavailable(CamsError):
    kind = "unavailable"
    title = _("CAMS is unavailable or answered something unreadable")
    transient = True
    http_status = 503
