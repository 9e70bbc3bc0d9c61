"""Real Celery worker processes for benchmarks and concurrency tests.

Each worker is started in its own session (process group) so that ``kill_hard`` can SIGKILL
the main process and its pool children at once, as a crashed machine would.
"""

import ctypes
import os
import signal
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connection

BASE_DIR = Path(settings.BASE_DIR)


def current_database_url() -> str:
    """A DATABASE_URL for the database this process is using (the test database under pytest)."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _die_with_parent():
    # Linux only: a worker must not outlive the test or benchmark that started it, even when
    # that process is killed before its cleanup runs.
    PR_SET_PDEATHSIG = 1
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


class WorkerProcess:
    def __init__(self, popen: subprocess.Popen, log_path: Path):
        self.popen, self.log_path = popen, log_path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait_ready(self, timeout: float = 60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if " ready." in self.log():
                return
            if self.popen.poll() is not None:
                raise RuntimeError(f"worker exited with {self.popen.returncode}:\n{self.log()[-3000:]}")
            time.sleep(0.1)
        raise TimeoutError(f"worker not ready after {timeout}s:\n{self.log()[-3000:]}")

    def kill_hard(self):
        """SIGKILL the whole worker (main process and pool children): nothing gets to clean up."""
        try:
            os.killpg(self.popen.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.popen.wait(timeout=10)

    def stop(self, timeout: float = 15):
        if self.popen.poll() is None:
            try:
                os.killpg(self.popen.pid, signal.SIGTERM)
                self.popen.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.kill_hard()
            except ProcessLookupError:
                pass


@contextmanager
def celery_worker(
    env: dict,
    *,
    name: str = "w1",
    concurrency: int = 4,
    pool: str = "threads",
    queues: str = "",
    ready_timeout: float = 60,
):
    """Run ``celery -A config worker`` with ``env`` added to this process's environment.

    ``queues``: comma-separated queues to consume (``-Q``); empty means Celery's default queue."""
    log_file = tempfile.NamedTemporaryFile(prefix=f"celery-{name}-", suffix=".log", delete=False)
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "config",
        "worker",
        "--loglevel=INFO",
        f"--pool={pool}",
        f"--concurrency={concurrency}",
        "-n",
        f"{name}@%h",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
    ] + (["-Q", queues] if queues else [])
    popen = subprocess.Popen(
        command,
        cwd=BASE_DIR,
        env={**os.environ, **{k: str(v) for k, v in env.items()}},
        stdout=log_file,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
        preexec_fn=_die_with_parent,
    )
    worker = WorkerProcess(popen, Path(log_file.name))
    try:
        worker.wait_ready(ready_timeout)
        yield worker
    finally:
        worker.stop()
        log_file.close()
        Path(log_file.name).unlink(missing_ok=True)
