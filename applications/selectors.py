"""Read queries over stored applications."""
from .models import ViberApplication


def application_get(*, request_no: str, cust_space_id: str = "") -> ViberApplication | None:
    return ViberApplication.objects.filter(request_no=request_no, cust_space_id=cust_space_id).first()


def application_list_recent(*, limit: int = 10):
    """The applications fetched most recently (the home page's list)."""
    return ViberApplication.objects.filter(fetched_at__isnull=False).order_by("-fetched_at")[:limit]


def refresh_health(*, now=None) -> dict:
    """Figures for the refresh system's health page (a handful of indexed counts)."""
    from datetime import datetime, timedelta

    from django.core.cache import cache
    from django.utils import timezone

    from .models import ApplicationEvent
    from .services.refresh import PLANNER_LAST_RUN_KEY

    now = now or timezone.now()
    hour_ago = now - timedelta(hours=1)
    apps = ViberApplication.objects
    oldest_overdue = apps.filter(next_refresh_at__lte=now).order_by("next_refresh_at").first()
    last_run = cache.get(PLANNER_LAST_RUN_KEY)
    return {
        "total": apps.count(),
        "due": apps.filter(next_refresh_at__lte=now).count(),
        "unscheduled": apps.filter(next_refresh_at__isnull=True).count(),
        "refreshed_last_hour": apps.filter(fetched_at__gte=hour_ago).count(),
        "changed_last_hour": ApplicationEvent.objects.filter(seen_at__gte=hour_ago)
        .values("application").distinct().count(),
        "failed_last_hour": apps.filter(last_error_at__gte=hour_ago).exclude(last_error_kind="throttled").count(),
        "throttled_last_hour": apps.filter(last_error_at__gte=hour_ago, last_error_kind="throttled").count(),
        "oldest_overdue": oldest_overdue,
        "planner_last_run": datetime.fromisoformat(last_run) if last_run else None,
        "now": now,
    }
