"""JSON API over the same lookup as the pages, for scripts used by logged-in reviewers.

Session-authenticated; a bad request number and CAMS failures are answered by ``views.errors``
with the same statuses as the pages. Field names and codes stay English and raw; the ``*_label``
keys are in the requested language: ``?lang=``, else the user's saved language, else
Accept-Language, else LANGUAGE_CODE.
"""

import json
from functools import wraps

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse, JsonResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from .. import content_cache
from ..models import ReviewStatus
from ..selectors.applications import application_load_documents
from ..selectors.preferences import supported_language
from ..services.lookup import SOURCE_CACHE, application_lookup
from .errors import application_view, json_login_required
from .render_keys import code_digest, digest, row_identity

# A key names the row's state: an entry is never wrong, only unused once the row moves on.
BODY_SECONDS = 3600


def _label(info) -> str:
    # The built-in code table's labels are in the catalogs; an operator's own label is shown as written.
    return _(info.label) if info.known else info.label


def application_payload(application) -> dict:
    document = dict(application.document or {})
    status = application.review_status
    document.update(
        state_label=_label(application.state_info),
        audit_result_label=_label(application.audit_result_info),
        request_type_label=_label(application.request_type_info),
        review_status=status,
        review_status_label=str(ReviewStatus(status).label) if status in ReviewStatus.values else status,
        is_final=application.is_final,
    )
    return document


def requested_language(view):
    """Answer in the language of ``?lang=`` when given; an unknown one is a 400, not a silent fallback."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        requested = request.GET.get("lang")
        if requested is None:
            return view(request, *args, **kwargs)
        language = supported_language(requested)
        if language is None:
            codes = ", ".join(code for code, _name in settings.LANGUAGES)
            message = _("Unknown language '%(lang)s'; use one of: %(codes)s.") % {
                "lang": requested[:32],
                "codes": codes,
            }
            return JsonResponse(
                {"error": "invalid_request", "message": message, "fields": {"lang": [message]}}, status=400
            )
        with translation.override(language):
            response = view(request, *args, **kwargs)
        response["Content-Language"] = language
        return response

    return wrapped


@require_GET
@requested_language
@json_login_required
@application_view(json=True)
def application_detail_api(request, request_no, cust_space_id):
    result = application_lookup(request_no=request_no, cust_space_id=cust_space_id)
    if result.source != SOURCE_CACHE or result.error:
        return _json(_body(result))
    # A stored copy's answer depends only on the row and the labels' language: the body is encoded
    # once per state of the row (render_keys.row_identity) and language, then served as bytes, from
    # this worker's memory when it served it before (content_cache.py).
    application = result.application
    key = "api-body:" + digest(row_identity(application), translation.get_language(), code_digest())
    body = content_cache.cached(key, lambda: _encode(_body(result)), BODY_SECONDS)
    return HttpResponse(body, content_type="application/json")


def _body(result) -> dict:
    application = application_load_documents(result.application)  # a stored copy comes without them
    return {
        "request_no": application.request_no,
        "cust_space_id": application.cust_space_id,
        "source": result.source,
        "fetched_at": application.fetched_at.isoformat() if application.fetched_at else None,
        "stale_because": result.error.as_dict() if result.error else None,
        "application": application_payload(application),
        "raw": application.raw_response,
    }


def _encode(body: dict) -> bytes:
    return json.dumps(body, cls=DjangoJSONEncoder, ensure_ascii=False).encode()


def _json(body: dict) -> JsonResponse:
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False})
