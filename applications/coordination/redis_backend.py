"""Redis implementations of the single-flight lock and the global rate limiter."""

import logging
import os
import threading
import time
import uuid
from contextlib import contextmanager

import redis

from .flight import Flight

# Release only a lock we still own (a lock that expired and was taken by someone else stays
# theirs), and wake everyone waiting on it in the same step.
_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
  redis.call('PUBLISH', KEYS[2], ARGV[1])
  return 1
end
return 0
"""

# Reserve the next free slot on a schedule spaced 1/qps apart (a virtual-scheduling GCRA
# without burst). Times come from the Redis server's clock so every process agrees. Returns
# how many microseconds the caller must wait before its call, or -1 if that exceeds max_wait.
# A granted slot also counts in KEYS[2] (when given): the call counter costs no round trip.
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
if KEYS[2] then redis.call('INCR', KEYS[2]) end
return wait
"""

KEY_PREFIX = "viber-review:"

logger = logging.getLogger(__name__)


class RedisCoordinator:
    def __init__(self, url: str):
        self.url = url
        self.client = redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=2)
        self._release = self.client.register_script(_RELEASE)
        self._reserve = self.client.register_script(_RESERVE)
        self._release_listener = None
        self._listener_guard = threading.Lock()

    @contextmanager
    def lock(self, name: str, *, ttl: float, wait: float):
        """Single flight on ``name``: yields a Flight (see flight.py).

        The leader holds the lock for at most ``ttl`` seconds. Waiters do not queue for the lock:
        they subscribe to its release channel and all wake together when the leader releases, so
        fifty waiters cost one publish instead of fifty turns through the lock.
        """
        key, channel = f"{KEY_PREFIX}lock:{name}", f"{KEY_PREFIX}released:{name}"
        # The value names the holder and when it started (its own clock, like the rows it stamps).
        token = f"{uuid.uuid4().hex}:{time.time():.6f}"
        flight = self._acquire_or_wait(key, channel, token, ttl=ttl, wait=wait)
        if not flight.leader:
            yield flight
            return
        try:
            yield flight
        finally:
            self._release(keys=[key, channel], args=[token])

    def _acquire_or_wait(self, key, channel, token, *, ttl, wait) -> Flight:
        deadline = time.monotonic() + wait
        seen, wakeup = None, None
        try:
            while True:
                # SET NX GET: takes the lock, or names who holds it, in one round trip.
                holder = self.client.set(key, token, nx=True, px=int(ttl * 1000), get=True)
                if holder is None:
                    # A holder seen earlier has finished (or expired): its result counts as fresh.
                    return Flight(leader=True, leader_since=_since(seen) if seen else None)
                seen = holder
                if wakeup is None:
                    wakeup = self._listener().register(channel)
                    continue  # look again: the holder may have released before we registered
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return Flight(leader=False)
                # Bounded, so a holder that died (its key expired, nobody published) is noticed soon.
                if wakeup.wait(min(remaining, 1.0)) and holder in wakeup.released:
                    return Flight(leader=False, leader_since=_since(holder))
        finally:
            if wakeup is not None:
                self._listener().unregister(channel, wakeup)

    def listen_for_releases(self) -> None:
        """Subscribe this process to lock releases now rather than at its first wait.

        The web server calls it as each worker starts (config/wsgi.py): otherwise the first
        fifty callers to wait together in a new process also wait for the subscription.
        """
        self._listener()

    def _listener(self) -> "_ReleaseListener":
        # One per process: a forked child (a worker pool) starts its own.
        if self._release_listener is None or self._release_listener.pid != os.getpid():
            with self._listener_guard:
                if self._release_listener is None or self._release_listener.pid != os.getpid():
                    self._release_listener = _ReleaseListener(self.url)
        return self._release_listener

    def try_lock(self, name: str, *, ttl: float) -> bool:
        """Non-blocking claim that expires by itself (used to stop two workers refreshing one record)."""
        return bool(self.client.set(f"{KEY_PREFIX}claim:{name}", "1", nx=True, px=int(ttl * 1000)))

    def unlock(self, name: str) -> None:
        self.client.delete(f"{KEY_PREFIX}claim:{name}")

    def reserve(self, name: str, *, qps: float, max_wait: float, count: str | None = None) -> float | None:
        """Seconds to sleep before the caller may make its call, or None if the queue is too long.

        ``count`` names a counter (``incr``) that a granted slot increments in the same step.
        """
        keys = [f"{KEY_PREFIX}rate:{name}"] + ([f"{KEY_PREFIX}counter:{count}"] if count else [])
        wait_us = self._reserve(keys=keys, args=[int(1_000_000 / qps), int(max_wait * 1_000_000)])
        return None if int(wait_us) < 0 else int(wait_us) / 1_000_000

    def incr(self, name: str, amount: int = 1) -> int:
        return int(self.client.incrby(f"{KEY_PREFIX}counter:{name}", amount))

    def get_counter(self, name: str) -> int:
        return int(self.client.get(f"{KEY_PREFIX}counter:{name}") or 0)


def _since(token) -> float:
    """The start time written into a lock value by ``lock``."""
    value = token.decode() if isinstance(token, bytes) else token
    return float(value.rsplit(":", 1)[1])


class _Wakeup(threading.Event):
    def __init__(self):
        super().__init__()
        self.released = set()  # tokens of the holders whose release was announced


class _ReleaseListener:
    """One subscriber per process for every lock-release announcement.

    Waiters register an event for their lock's channel; the listener thread sets it when the
    holder publishes its release. Waking fifty waiters costs one message, not fifty connections.
    """

    def __init__(self, url: str):
        # Its own connection without a read timeout: it sits idle between releases.
        self.client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_keepalive=True)
        self.pid = os.getpid()
        self._waiters: dict[bytes, set[_Wakeup]] = {}
        self._guard = threading.Lock()
        self._subscribed = threading.Event()
        threading.Thread(target=self._run, name="lock-release-listener", daemon=True).start()
        # Until subscribed, a release could be missed; waiters then fall back to their bounded wait.
        self._subscribed.wait(2)

    def register(self, channel: str) -> _Wakeup:
        wakeup = _Wakeup()
        with self._guard:
            self._waiters.setdefault(channel.encode(), set()).add(wakeup)
        return wakeup

    def unregister(self, channel: str, wakeup: _Wakeup) -> None:
        with self._guard:
            waiters = self._waiters.get(channel.encode())
            if waiters is not None:
                waiters.discard(wakeup)
                if not waiters:
                    del self._waiters[channel.encode()]

    def _run(self):
        while True:
            pubsub = self.client.pubsub()
            try:
                pubsub.psubscribe(f"{KEY_PREFIX}released:*")
                for message in pubsub.listen():
                    if message["type"] == "psubscribe":
                        self._subscribed.set()
                    elif message["type"] == "pmessage":
                        with self._guard:
                            waiters = list(self._waiters.get(message["channel"], ()))
                        for wakeup in waiters:
                            wakeup.released.add(message["data"])
                            wakeup.set()
            except redis.RedisError:
                logger.warning("lock-release listener lost Redis; reconnecting", exc_info=True)
                time.sleep(1)
            finally:
                pubsub.close()
