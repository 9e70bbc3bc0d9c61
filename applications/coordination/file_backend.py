"""File-lock implementations for the embedded default (one machine, no Redis).

``filelock`` gives cross-process mutual exclusion; the rate limiter's schedule is a tiny file
read and written under its own lock, so web, worker and beat on this machine share one limit.
"""

import fcntl
import hashlib
import os
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock

from .flight import Flight


class FileCoordinator:
    def __init__(self, directory: str):
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)

    def listen_for_releases(self) -> None:
        """Nothing to subscribe to: waiters block in the kernel on the lock file."""

    def _path(self, kind: str, name: str) -> Path:
        digest = hashlib.sha256(name.encode()).hexdigest()[:32]
        return self.directory / f"{kind}-{digest}"

    @contextmanager
    def lock(self, name: str, *, ttl: float, wait: float):
        """Single flight on ``name``: yields a Flight (see flight.py).

        The OS drops a file lock when its holder dies, so ``ttl`` is not needed for safety here.
        The leader writes its start time into the lock file; waiters block in the kernel for a
        shared lock, which is granted to all of them at once when the leader lets go.
        """
        path = str(self._path("lock", name)) + ".flight"
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                since = _read_since(fd)
                if not _wait_for_shared(path, wait):
                    yield Flight(leader=False)
                    return
                yield Flight(leader=False, leader_since=since or _read_since(fd))
                return
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{time.time():.6f}".encode(), 0)
            try:
                yield Flight(leader=True)
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)

    def try_lock(self, name: str, *, ttl: float) -> bool:
        path = self._path("claim", name)
        with FileLock(str(path) + ".lock", timeout=5):
            now = time.time()
            if path.exists():
                try:
                    if float(path.read_text() or 0) > now:
                        return False
                except ValueError:
                    pass
            path.write_text(str(now + ttl))
            return True

    def unlock(self, name: str) -> None:
        self._path("claim", name).unlink(missing_ok=True)

    def reserve(self, name: str, *, qps: float, max_wait: float, count: str | None = None) -> float | None:
        """As the Redis backend's: seconds to wait, or None; a granted slot increments ``count``."""
        wait = self._reserve(name, qps=qps, max_wait=max_wait)
        if wait is not None and count:
            self.incr(count)
        return wait

    def _reserve(self, name: str, *, qps: float, max_wait: float) -> float | None:
        path = self._path("rate", name)
        with FileLock(str(path) + ".lock", timeout=max(max_wait, 1) + 5):
            now = time.time()
            try:
                next_free = float(path.read_text() or 0)
            except (OSError, ValueError):
                next_free = 0.0
            next_free = max(next_free, now)
            wait = next_free - now
            if wait > max_wait:
                return None
            path.write_text(repr(next_free + 1 / qps))
            return wait

    def incr(self, name: str, amount: int = 1) -> int:
        path = self._path("counter", name)
        with FileLock(str(path) + ".lock", timeout=5):
            try:
                value = int(path.read_text() or 0) + amount
            except (OSError, ValueError):
                value = amount
            path.write_text(str(value))
            return value

    def get_counter(self, name: str) -> int:
        try:
            return int(self._path("counter", name).read_text() or 0)
        except (OSError, ValueError):
            return 0


def _read_since(fd) -> float | None:
    try:
        return float(os.pread(fd, 64, 0).decode() or "x")
    except ValueError:
        return None  # the leader has not written its start time yet


def _wait_for_shared(path: str, wait: float) -> bool:
    """Block until the exclusive holder of ``path`` lets go, at most ``wait`` seconds.

    flock has no timeout, so a helper thread blocks in it; on timeout the thread is left to
    finish by itself (it only takes and drops a shared lock).
    """
    released = threading.Event()

    def block():
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_SH)
            fcntl.flock(fd, fcntl.LOCK_UN)
            released.set()
        finally:
            os.close(fd)

    threading.Thread(target=block, name="flight-wait", daemon=True).start()
    return released.wait(wait)
