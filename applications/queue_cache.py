"""Short-lived caching for the review queue page: counts per filter set, and filter choices.

The counts above the table are a GROUP BY over every matching row; at 100,000 rows that is
the page's most expensive query, while the numbers barely move in 30 seconds. So they are
cached for ``COUNTS_SECONDS`` per filter set (the page says "counts as of ...") and the table's
rows are always read live. Choices of the filter form (reviewers) change even more rarely.
"""

import hashlib
import json

from django.core.cache import cache
from django.db.models import Count
from django.utils import timezone

COUNTS_SECONDS = 30
CHOICES_SECONDS = 30
_COUNTS_PREFIX = "queue:counts:v1:"


def filters_key(filters: dict, user=None) -> str:
    """A cache key for a filter set; "assigned to me" and "watching" differ per user, so it names the user."""
    items = {name: value.isoformat() if hasattr(value, "isoformat") else str(value) for name, value in filters.items()}
    if items.get("assignee") == "me":
        items["assignee"] = f"user:{getattr(user, 'pk', '')}"
    if items.get("watching"):
        items["watching"] = f"user:{getattr(user, 'pk', '')}"
    digest = hashlib.sha256(json.dumps(items, sort_keys=True).encode()).hexdigest()[:32]
    return _COUNTS_PREFIX + digest


def grouped_counts(queryset, *, filters: dict, user=None) -> tuple[list, object]:
    """([(state, audit_result, n)], as_of) for the filtered queryset, at most COUNTS_SECONDS old.

    ``COUNT(*)`` rather than ``COUNT(id)``: with nothing but state and audit result to read,
    PostgreSQL answers from the (state, audit_result, ...) index alone; counting ``id`` made it
    visit every heap row (42 ms -> 14 ms unfiltered, 20 ms -> 3 ms for state=I&audit=auditing).
    """
    key = filters_key(filters, user)
    hit = cache.get(key)
    if hit is not None:
        return hit
    grouped = list(queryset.order_by().values_list("state", "audit_result").annotate(n=Count("*")))
    value = (grouped, timezone.now())
    cache.set(key, value, COUNTS_SECONDS)
    return value


def cached(key: str, compute, seconds: int = CHOICES_SECONDS):
    """``compute()`` cached under ``key`` for ``seconds`` (for small, picklable choice lists)."""
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, seconds)
    return value
