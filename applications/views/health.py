"""The refresh system as operators see it: the health page and its JSON twin (read-only).

Queueing a refresh of one application is on its page (``pages.refresh_background``).
"""

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ..selectors.health import health_report
from .errors import json_login_required
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
@json_login_required
def health_api(request):
    report = health_report()
    oldest, planner = report["oldest_overdue"], report["planner"]
    return JsonResponse(
        {
            "now": _iso(report["now"]),
            "figures": {
                name: report[name]
                for name in (
                    "total",
                    "due",
                    "unscheduled",
                    "refreshed_last_hour",
                    "changed_last_hour",
                    "failed_last_hour",
                    "throttled_last_hour",
                )
            },
            "oldest_overdue": {
                "request_no": oldest.request_no,
                "cust_space_id": oldest.cust_space_id,
                "next_refresh_at": _iso(oldest.next_refresh_at),
                "overdue_seconds": _seconds(report["overdue_by"]),
            }
            if oldest
            else None,
            "planner": {
                "last_run": _iso(planner["last_run"]),
                "seconds_since_last_run": _seconds(planner["age"]),
                "interval_seconds": planner["interval_seconds"],
                "stale": planner["stale"],
            },
            "recent_failures": [
                {
                    "request_no": app.request_no,
                    "cust_space_id": app.cust_space_id,
                    "kind": app.last_error_kind,
                    "code": app.last_error_code,
                    "request_id": app.last_error_request_id,
                    "at": _iso(app.last_error_at),
                }
                for app in report["recent_failures"]
            ],
        },
        json_dumps_params={"ensure_ascii": False},
    )
