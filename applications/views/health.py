"""The refresh system as operators see it: the health page, its JSON twin, and queueing a refresh.

Read-only except ``refresh_background``, which only queues Celery messages (sent once the
request's transaction commits); the fetch itself happens in a worker, through the shared limiter.
"""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from ..selectors.applications import application_get
from ..selectors.health import health_report
from ..services.refresh import applications_refresh_enqueue
from .pages import _validated_key, detail_url
from .presenters import duration_text, event_change


@require_GET
@login_required
def health(request):
    report = health_report()
    report["recent_events"] = [event_change(event) for event in report["recent_events"]]
    report["planner"]["stale_after_text"] = duration_text(report["planner"]["stale_after"].total_seconds())
    return render(request, "applications/health.html", report)


def _iso(value):
    return value.isoformat() if value else None


def _seconds(delta):
    return round(delta.total_seconds(), 1) if delta is not None else None


@require_GET
def health_api(request):
    if not request.user.is_authenticated:
        response = JsonResponse({"error": "unauthenticated", "message": "Log in to use this API."}, status=401)
        response["WWW-Authenticate"] = 'Session realm="viber-review"'
        return response
    report = health_report()
    oldest, planner = report["oldest_overdue"], report["planner"]
    return JsonResponse({
        "now": _iso(report["now"]),
        "figures": {name: report[name] for name in (
            "total", "due", "unscheduled", "refreshed_last_hour", "changed_last_hour",
            "failed_last_hour", "throttled_last_hour")},
        "oldest_overdue": {
            "request_no": oldest.request_no,
            "cust_space_id": oldest.cust_space_id,
            "next_refresh_at": _iso(oldest.next_refresh_at),
            "overdue_seconds": _seconds(report["overdue_by"]),
        } if oldest else None,
        "planner": {
            "last_run": _iso(planner["last_run"]),
            "seconds_since_last_run": _seconds(planner["age"]),
            "interval_seconds": planner["interval_seconds"],
            "stale": planner["stale"],
        },
        "recent_failures": [{
            "request_no": app.request_no,
            "cust_space_id": app.cust_space_id,
            "kind": app.last_error_kind,
            "code": app.last_error_code,
            "request_id": app.last_error_request_id,
            "at": _iso(app.last_error_at),
        } for app in report["recent_failures"]],
    }, json_dumps_params={"ensure_ascii": False})


@require_POST
@login_required
def refresh_background(request, request_no):
    """Queue one background refresh of a stored application and go back to its page."""
    request_no, cust_space_id, invalid = _validated_key(request, request_no)
    if invalid:
        return invalid
    application = application_get(request_no=request_no, cust_space_id=cust_space_id)
    if application is None:
        raise Http404("No stored application with this request number.")
    applications_refresh_enqueue(application_ids=[application.pk])
    messages.success(request, "Queued a background refresh. A worker fetches it from CAMS within the "
                              "rate limit; reload this page in a moment to see the result.")
    return redirect(detail_url(request_no, cust_space_id))
