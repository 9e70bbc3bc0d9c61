"""Child processes for benchmarks: the CAMS simulator on its own, and CPU time read from /proc.

The simulator runs as a separate process so its CPU is not counted with (nor competes for the
GIL with) the process that drives the benchmark.
"""

import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings

from .worker_processes import BASE_DIR, _die_with_parent

_CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(child) for child in text.split()]


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of ``pid`` and its live descendants (all their threads)."""
    total = 0.0
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total = (int(fields[11]) + int(fields[12])) / _CLOCK_TICKS  # utime, stime
    except (OSError, IndexError, ValueError):
        return 0.0
    return total + sum(cpu_seconds(child) for child in _children(pid))


class SimulatorProcess:
    def __init__(self, popen, endpoint: str):
        self.popen, self.endpoint = popen, endpoint
        self.access_key_id = settings.CAMS_SIMULATOR_ACCESS_KEY_ID
        self.access_key_secret = settings.CAMS_SIMULATOR_ACCESS_KEY_SECRET

    def _control(self, method: str, name: str, payload: dict | None = None) -> dict:
        data = json.dumps(payload).encode() if payload is not None else None
        request = urllib.request.Request(f"http://{self.endpoint}/_sim/{name}", data=data, method=method)
        with urllib.request.urlopen(request, timeout=10) as reply:
            return json.loads(reply.read())

    def stats(self) -> dict:
        return self._control("GET", "stats")

    def advance(self, request_no: str) -> bool:
        try:
            self._control("POST", "advance", {"request_no": request_no})
        except urllib.error.HTTPError:
            return False
        return True

    def set_faults(self, **faults) -> dict:
        return self._control("POST", "faults", faults)

    def cpu_seconds(self) -> float:
        return cpu_seconds(self.popen.pid)


@contextmanager
def simulator_process(*, size: int, latency_ms: int = 0, max_qps: float = 0.0):
    """``manage.py cams_simulator`` on a free loopback port, stopped on exit."""
    log = tempfile.NamedTemporaryFile(prefix="cams-simulator-", suffix=".log", delete=False)
    command = [sys.executable, "manage.py", "cams_simulator", "--host", "127.0.0.1", "--port", "0"]
    command += ["--size", str(size), "--latency-ms", str(latency_ms), "--max-qps", str(max_qps)]
    popen = subprocess.Popen(
        command,
        cwd=BASE_DIR,
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        preexec_fn=_die_with_parent,
    )
    try:
        endpoint = _wait_for_address(popen, Path(log.name))
        yield SimulatorProcess(popen, endpoint)
    finally:
        popen.terminate()
        try:
            popen.wait(timeout=10)
        except subprocess.TimeoutExpired:
            popen.kill()
        log.close()
        Path(log.name).unlink(missing_ok=True)


def _wait_for_address(popen, log_path: Path, timeout: float = 60) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = log_path.read_text(errors="replace")
        if found := re.search(r"listening on http://([\d.]+:\d+)", text):
            return found.group(1)
        if popen.poll() is not None:
            raise RuntimeError(f"simulator exited with {popen.returncode}:\n{text[-3000:]}")
        time.sleep(0.1)
    raise TimeoutError("simulator did not start")
