"""Template filters of the review pages."""

from datetime import timedelta

from django import template
from django.utils.translation import ngettext

# Each unit in words, in the active language (ngettext at call time, so the page's language).
_UNITS = (
    (86400, lambda n: ngettext("%(count)d day", "%(count)d days", n)),
    (3600, lambda n: ngettext("%(count)d hour", "%(count)d hours", n)),
    (60, lambda n: ngettext("%(count)d minute", "%(count)d minutes", n)),
    (1, lambda n: ngettext("%(count)d second", "%(count)d seconds", n)),
)

register = template.Library()


@register.filter
def duration_text(value) -> str:
    """A timedelta as its two largest units: "3 days 4 hours", "25 minutes", "0 seconds"."""
    if not isinstance(value, timedelta):
        return ""
    seconds = max(0, int(value.total_seconds()))
    parts = []
    for size, unit in _UNITS:
        count, seconds = divmod(seconds, size)
        if count:
            parts.append(unit(count) % {"count": count})
    return " ".join(parts[:2]) or _UNITS[-1][1](0) % {"count": 0}


@register.filter
def review_value(value, action) -> str:
    """A review log's before/after: status codes as their labels, anything else as stored."""
    from ..models import ReviewStatus

    if action == "status" and value in ReviewStatus.values:
        return ReviewStatus(value).label
    return value
