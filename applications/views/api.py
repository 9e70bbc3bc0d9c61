"""JSON API over the same lookup as the pages, for scripts used by logged-in reviewers.

Session-authenticated; a bad request number and CAMS failures are answered by ``views.errors``
with the same statuses as the pages.
"""

from django.http import JsonResponse
from django.views.decorators.http import require_GET

from ..services.lookup import application_lookup
from .errors import application_view, json_login_required


def application_payload(application) -> dict:
    document = dict(application.document or {})
    document.update(
        state_label=application.state_info.label,
        audit_result_label=application.audit_result_info.label,
        is_final=application.is_final,
    )
    return document


@require_GET
@json_login_required
@application_view(json=True)
def application_detail_api(request, request_no, cust_space_id):
    result = application_lookup(request_no=request_no, cust_space_id=cust_space_id)
    application = result.application
    return JsonResponse(
        {
            "request_no": application.request_no,
            "cust_space_id": application.cust_space_id,
            "source": result.source,
            "fetched_at": application.fetched_at.isoformat() if application.fetched_at else None,
            "stale_because": result.error.as_dict() if result.error else None,
            "application": application_payload(application),
            "raw": application.raw_response,
        },
        json_dumps_params={"ensure_ascii": False},
    )
