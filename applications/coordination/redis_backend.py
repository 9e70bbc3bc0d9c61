"""Redis implementations of the single-flight lock and the global rate limiter."""

import time
import uuid
from contextlib import contextmanager

import redis

# Release only a lock we still own: a lock that expired and was taken by someone else stays theirs.
_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""

# Reserve the next free slot on a schedule spaced 1/qps apart (a virtual-scheduling GCRA
# without burst). Times come from the Redis server's clock so every process agrees. Returns
# how many microseconds the caller must wait before its call, or -1 if that exceeds max_wait.
_RESERVE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = tonumber(ARGV[1])
local max_wait = tonumber(ARGV[2])
local next_free = tonumber(redis.call('GET', KEYS[1]) or '0')
if next_free < now then next_free = now end
local wait = next_free - now
if wait > max_wait then return -1 end
redis.call('SET', KEYS[1], next_free + interval, 'PX', math.ceil((wait + interval) / 1000) + 1000)
return wait
"""

KEY_PREFIX = "viber-review:"


class RedisCoordinator:
    def __init__(self, url: str):
        self.client = redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=2)
        self._release = self.client.register_script(_RELEASE)
        self._reserve = self.client.register_script(_RESERVE)

    @contextmanager
    def lock(self, name: str, *, ttl: float, wait: float):
        """Hold ``name`` for at most ``ttl`` seconds; wait up to ``wait`` for it. Yields True if held."""
        key, token = f"{KEY_PREFIX}lock:{name}", uuid.uuid4().hex
        deadline = time.monotonic() + wait
        acquired = False
        while True:
            if self.client.set(key, token, nx=True, px=int(ttl * 1000)):
                acquired = True
                break
            if time.monotonic() >= deadline:
                break
            time.sleep(0.02)
        try:
            yield acquired
        finally:
            if acquired:
                self._release(keys=[key], args=[token])

    def try_lock(self, name: str, *, ttl: float) -> bool:
        """Non-blocking claim that expires by itself (used to stop two workers refreshing one record)."""
        return bool(self.client.set(f"{KEY_PREFIX}claim:{name}", "1", nx=True, px=int(ttl * 1000)))

    def unlock(self, name: str) -> None:
        self.client.delete(f"{KEY_PREFIX}claim:{name}")

    def reserve(self, name: str, *, qps: float, max_wait: float) -> float | None:
        """Seconds to sleep before the caller may make its call, or None if the queue is too long."""
        wait_us = self._reserve(
            keys=[f"{KEY_PREFIX}rate:{name}"], args=[int(1_000_000 / qps), int(max_wait * 1_000_000)]
        )
        return None if int(wait_us) < 0 else int(wait_us) / 1_000_000

    def incr(self, name: str, amount: int = 1) -> int:
        return int(self.client.incrby(f"{KEY_PREFIX}counter:{name}", amount))

    def get_counter(self, name: str) -> int:
        return int(self.client.get(f"{KEY_PREFIX}counter:{name}") or 0)
