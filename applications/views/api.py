"""JSON API over the same lookup as the pages, for scripts used by logged-in reviewers.

Session-authenticated: an anonymous call gets a 401 JSON body, never a login redirect, so a
client can tell "log in" from "not found".
"""
from django.http import JsonResponse
from django.views.decorators.http import require_GET

from ..cams.errors import CamsError
from ..forms.lookup import LookupForm
from ..services.lookup import application_lookup


def application_payload(application) -> dict:
    document = dict(application.document or {})
    document.update(
        state_label=application.state_info.label,
        audit_result_label=application.audit_result_info.label,
        is_final=application.is_final,
    )
    return document


@require_GET
def application_detail_api(request, request_no):
    if not request.user.is_authenticated:
        response = JsonResponse({"error": "unauthenticated", "message": "Log in to use this API."}, status=401)
        response["WWW-Authenticate"] = 'Session realm="viber-review"'
        return response
    form = LookupForm({"request_no": request_no, "cust_space_id": request.GET.get("cust_space_id", "")})
    if not form.is_valid():
        errors = {name: [str(message) for message in messages] for name, messages in form.errors.items()}
        message = " ".join(" ".join(messages) for messages in errors.values())
        return JsonResponse({"error": "invalid_request", "message": message, "fields": errors}, status=400)
    request_no, cust_space_id = form.cleaned_data["request_no"], form.cleaned_data["cust_space_id"]
    try:
        result = application_lookup(request_no=request_no, cust_space_id=cust_space_id)
    except CamsError as error:
        response = JsonResponse(error.as_dict(), status=error.http_status)
        if error.retry_after:
            response["Retry-After"] = str(max(1, round(error.retry_after)))
        return response
    application = result.application
    return JsonResponse({
        "request_no": application.request_no,
        "cust_space_id": application.cust_space_id,
        "source": result.source,
        "fetched_at": application.fetched_at.isoformat() if application.fetched_at else None,
        "stale_because": result.error.as_dict() if result.error else None,
        "application": application_payload(application),
        "raw": application.raw_response,
    }, json_dumps_params={"ensure_ascii": False})
