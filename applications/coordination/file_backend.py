"""File-lock implementations for the embedded default (one machine, no Redis).

``filelock`` gives cross-process mutual exclusion; the rate limiter's schedule is a tiny file
read and written under its own lock, so web, worker and beat on this machine share one limit.
"""

import hashlib
import time
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout


class FileCoordinator:
    def __init__(self, directory: str):
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)

    def _path(self, kind: str, name: str) -> Path:
        digest = hashlib.sha256(name.encode()).hexdigest()[:32]
        return self.directory / f"{kind}-{digest}"

    @contextmanager
    def lock(self, name: str, *, ttl: float, wait: float):
        # The OS drops a file lock when its holder dies, so ttl is not needed for safety here.
        file_lock = FileLock(str(self._path("lock", name)) + ".lock")
        try:
            file_lock.acquire(timeout=wait)
        except Timeout:
            yield False
            return
        try:
            yield True
        finally:
            file_lock.release()

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

    def reserve(self, name: str, *, qps: float, max_wait: float) -> float | None:
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
