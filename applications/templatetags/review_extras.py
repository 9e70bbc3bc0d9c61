"""Template filters of the review pages."""

from datetime import timedelta

from django import template

register = template.Library()


@register.filter
def duration_text(value) -> str:
    """A timedelta as its two largest units: "3 days 4 hours", "25 minutes", "0 seconds"."""
    if not isinstance(value, timedelta):
        return ""
    seconds = max(0, int(value.total_seconds()))
    parts = []
    for name, size in (("day", 86400), ("hour", 3600), ("minute", 60), ("second", 1)):
        count, seconds = divmod(seconds, size)
        if count:
            parts.append(f"{count} {name}{'' if count == 1 else 's'}")
    return " ".join(parts[:2]) or "0 seconds"


@register.filter
def review_value(value, action) -> str:
    """A review log's before/after: status codes as their labels, anything else as stored."""
    from ..models import ReviewStatus

    if action == "status" and value in ReviewStatus.values:
        return ReviewStatus(value).label
    return value
