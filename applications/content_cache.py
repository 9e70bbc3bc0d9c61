"""Cached output whose key names everything it was made from, kept in this process as well as in Redis.

The JSON API's body and the application page are cached under keys that digest every input they
are made of (views/render_keys.py): the row, the language, the user's state, the code. An entry
under such a key can never become wrong, only unused, so a copy of it in the worker's memory needs
no invalidation: it saves the Redis round trip that a hot page or body otherwise pays on every
request. The copy is bounded in bytes (least recently used goes first) and in time (the entry's
own lifetime, as in Redis). Redis stays the shared copy that other workers and a restarted one
fill from.

Only for values whose key names their whole content: anything that can change under a fixed key
(counts, choices, roles) goes through the cache directly.
"""

import threading
import time
from collections import OrderedDict

from django.core.cache import cache

# Per worker process. A page is 20-60 kB and a body about 6 kB: a few hundred hot entries.
MAX_BYTES = 16 * 1024 * 1024
LOCAL_SECONDS = 120


class _LocalCopies:
    def __init__(self, max_bytes: int):
        self._max_bytes = max_bytes
        self._entries: OrderedDict[str, tuple[float, object, int]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()  # gthread workers serve several requests at once

    def get(self, key: str):
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            if entry[0] <= time.monotonic():
                self._drop(key)
                return None
            self._entries.move_to_end(key)
            return entry[1]

    def put(self, key: str, value, seconds: float) -> None:
        size = len(value) if isinstance(value, str | bytes) else 0
        if not size or size > self._max_bytes // 8:
            return  # only text and bytes are copied (no shared mutable objects), and no giant ones
        with self._lock:
            if key in self._entries:
                self._drop(key)
            self._entries[key] = (time.monotonic() + seconds, value, size)
            self._bytes += size
            while self._bytes > self._max_bytes:
                self._drop(next(iter(self._entries)))

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0

    def _drop(self, key: str) -> None:
        self._bytes -= self._entries.pop(key)[2]


_local = _LocalCopies(MAX_BYTES)


def get(key: str):
    """The value under ``key``: this process's copy, else Redis's (copied here), else None."""
    value = _local.get(key)
    if value is not None:
        return value
    value = cache.get(key)
    if value is not None:
        # Redis does not say how long its entry has left. The key names the content, so the copy's
        # lifetime matters only for memory.
        _local.put(key, value, LOCAL_SECONDS)
    return value


def set(key: str, value, seconds: int) -> None:  # noqa: A001 - mirrors the cache API it wraps
    cache.set(key, value, seconds)
    _local.put(key, value, min(seconds, LOCAL_SECONDS))


def cached(key: str, compute, seconds: int):
    """``compute()`` (text or bytes) under ``key``, from this process, Redis, or made and stored in both."""
    value = get(key)
    if value is None:
        value = compute()
        set(key, value, seconds)
    return value


def clear_local() -> None:
    """Forget this process's copies (tests; Redis keeps its own)."""
    _local.clear()
