"""Read queries behind the refresh-health page and its JSON twin (no writes, no network).

``refresh_health`` (in selectors.py) gives the figures; this module adds what the page lists
under them (recent failures and recent changes) and the planner's liveness, judged against the
beat interval of the ``plan-due-refreshes`` entry.
"""
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from .models import ApplicationEvent, ViberApplication
from .selectors import refresh_health

PLANNER_ENTRY = "plan-due-refreshes"
PLANNER_STALE_INTERVALS = 3  # the planner counts as stopped after missing this many runs
RECENT_FAILURES_LIMIT = 20
RECENT_EVENTS_LIMIT = 20
RECENT_WINDOW = timedelta(hours=1)


def planner_interval_seconds() -> float:
    schedule = settings.CELERY_BEAT_SCHEDULE[PLANNER_ENTRY]["schedule"]
    # A beat entry may be a number of seconds or a timedelta / celery schedule object.
    if isinstance(schedule, int | float):
        return float(schedule)
    if isinstance(schedule, timedelta):
        return schedule.total_seconds()
    run_every = getattr(schedule, "run_every", None)
    return run_every.total_seconds() if isinstance(run_every, timedelta) else 60.0


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
    return list(ViberApplication.objects.filter(last_error_at__gte=now - window)
                .order_by("-last_error_at", "-id")
                .only("id", "request_no", "cust_space_id", "company_english_name", "company_legal_name",
                      "fetched_at", "last_error_kind", "last_error_code", "last_error_message",
                      "last_error_request_id", "last_error_at")[:limit])


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
