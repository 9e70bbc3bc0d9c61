"""Drop the per-user answers the pages cache (unread count, watched ids) when they change.

The selectors cache them because every page asks (the header's bell; the application page's
Watch button). Each is dropped now and again when the transaction commits, so a reader between
the two cannot cache the old answer for longer than the transaction lasts.
"""

import logging

from django.core.cache import cache
from django.db import transaction

from ...selectors.notifications import unread_count_key, watched_ids_key

logger = logging.getLogger(__name__)


def forget_unread_counts(user_ids) -> None:
    _forget([unread_count_key(user_id) for user_id in set(user_ids)])


def forget_watched_ids(user_id) -> None:
    _forget([watched_ids_key(user_id)])


def _forget(keys) -> None:
    if keys:
        _delete(keys)
        transaction.on_commit(lambda: _delete(keys))


def _delete(keys) -> None:
    try:
        cache.delete_many(keys)
    except Exception:  # the cache is down: the write that changed the answer must still go through
        # What was cached before the outage expires by itself (UNREAD_COUNT_SECONDS, WATCHED_IDS_SECONDS).
        logger.warning("could not drop cached notification answers %s", keys, exc_info=True)
