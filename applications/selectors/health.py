"""Read queries behind the refresh-health page and its JSON twin (no writes, no network).

``refresh_health`` gives the figures; the rest is what the page lists under them (recent failures
and recent changes) and the planner's liveness, judged against CAMS_PLANNER_INTERVAL_SECONDS (the
beat interval of the planner).
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from ..models import ApplicationEvent, ViberApplication

# Written by services.refresh each time the planner runs; read here for the planner's liveness.
PLANNER_LAST_RUN_KEY = "refresh:planner:last-run"
PLANNER_STALE_INTERVALS = 3  # the planner counts as stopped after missing this many runs
RECENT_FAILURES_LIMIT = 20
RECENT_EVENTS_LIMIT = 20
RECENT_WINDOW = timedelta(hours=1)


def planner_interval_seconds() -> float:
    return float(settings.CAMS_PLANNER_INTERVAL_SECONDS)


def refresh_health(*, now=None) -> dict:
    """Figures for the refresh system's health page (a handful of indexed counts)."""

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
        .values("application")
        .distinct()
        .count(),
        "failed_last_hour": apps.filter(last_error_at__gte=hour_ago).exclude(last_error_kind="throttled").count(),
        "throttled_last_hour": apps.filter(last_error_at__gte=hour_ago, last_error_kind="throttled").count(),
        "oldest_overdue": oldest_overdue,
        "planner_last_run": datetime.fromisoformat(last_run) if last_run else None,
        "now": now,
    }


def planner_status(*, last_run, now) -> dict:
    """Whether the planner looks alive: it ran within the last ``PLANNER_STALE_INTERVALS`` intervals."""
    interval = planner_interval_seconds()
    limit = timedelta(seconds=interval * PLANNER_STALE_INTERVALS)
    age = (now - last_run) if last_run else None
    return {
        "last_run": last_run,
        "age": age,
        "interval_seconds": interval,
        "stale_after": limit,
        "never_ran": last_run is None,
        "stale": last_run is None or age > limit,
    }


def recent_failures(*, now, window=RECENT_WINDOW, limit=RECENT_FAILURES_LIMIT):
    """Applications whose last fetch error (throttling included) happened within ``window``."""
    return list(
        ViberApplication.objects.filter(last_error_at__gte=now - window)
        .order_by("-last_error_at", "-id")
        .only(
            "id",
            "request_no",
            "cust_space_id",
            "company_english_name",
            "company_legal_name",
            "fetched_at",
            "last_error_kind",
            "last_error_code",
            "last_error_message",
            "last_error_request_id",
            "last_error_at",
        )[:limit]
    )


def recent_events(*, limit=RECENT_EVENTS_LIMIT):
    """The latest State / AuditResult changes across all applications, newest first."""
    return list(ApplicationEvent.objects.select_related("application").order_by("-seen_at", "-id")[:limit])


def health_report(*, now=None) -> dict:
    """Everything the health page shows, read once (a handful of indexed queries)."""
    now = now or timezone.now()
    figures = refresh_health(now=now)
    oldest = figures["oldest_overdue"]
    return {
        **figures,
        "overdue_by": (now - oldest.next_refresh_at) if oldest else None,
        "planner": planner_status(last_run=figures["planner_last_run"], now=now),
        "recent_failures": recent_failures(now=now),
        "recent_events": recent_events(),
    }
