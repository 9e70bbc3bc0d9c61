"""Short-lived caching for the review queue page: counts per filter set, and filter choices.

The counts above the table are a GROUP BY over every matching row; at 100,000 rows that is
the page's most expensive query, while the numbers barely move in 30 seconds. So they are
cached for ``COUNTS_SECONDS`` per filter set (the page says "counts as of ...") and the table's
rows are always read live. On a miss the page does not wait for them: it shows its rows and
loads the counts from a fragment that fills this cache (views/queue.py). Choices of the filter
form (reviewers) change even more rarely.
"""

import hashlib
import json

from django.core.cache import cache
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


def cached_counts(*, filters: dict, user=None) -> tuple[list, object] | None:
    """The cached ([(state, audit_result, n)], as_of) of a filter set, or None (nothing counted)."""
    return cache.get(filters_key(filters, user))


def store_counts(grouped: list, *, filters: dict, user=None) -> tuple[list, object]:
    """Keep freshly counted ``grouped`` for COUNTS_SECONDS; returns (grouped, as_of)."""
    value = (grouped, timezone.now())
    cache.set(filters_key(filters, user), value, COUNTS_SECONDS)
    return value


def grouped_counts(count, *, filters: dict, user=None) -> tuple[list, object]:
    """([(state, audit_result, n)], as_of) for a filter set, at most COUNTS_SECONDS old.

    ``count()`` (selectors.queue) runs the GROUP BY on a miss.
    """
    hit = cached_counts(filters=filters, user=user)
    if hit is not None:
        return hit
    return store_counts(count(), filters=filters, user=user)


def cached(key: str, compute, seconds: int = CHOICES_SECONDS):
    """``compute()`` cached under ``key`` for ``seconds`` (for small, picklable choice lists)."""
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, seconds)
    return value
