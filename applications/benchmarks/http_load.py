"""Pieces of bench_http: gunicorn in production settings, a logged-in session, wrk, and a burst
of concurrent first lookups. Loopback only, every run bounded in time."""

import http.client
import os
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

from .worker_processes import BASE_DIR, _die_with_parent

HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def production_env(*, database_url: str, redis_url: str, simulator, var_dir: Path) -> dict:
    """What DJANGO_ENV=production needs, for a loopback run over plain HTTP."""
    (var_dir / "staticfiles").mkdir(parents=True, exist_ok=True)
    return {
        "DJANGO_ENV": "production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "DJANGO_ALLOWED_HOSTS": f"{HOST},localhost",
        "DJANGO_DEBUG": "false",
        # Plain HTTP on loopback: no HTTPS redirect, HSTS or Secure-only cookies.
        "DJANGO_SECURE_COOKIES": "false",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_SECURE_HSTS_SECONDS": "0",
        "DJANGO_LOG_LEVEL": "WARNING",
        "VIBER_REVIEW_VAR_DIR": str(var_dir),
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "CAMS_ENDPOINT": simulator.endpoint,
        "CAMS_PROTOCOL": "http",
        "ALIBABA_CLOUD_ACCESS_KEY_ID": simulator.access_key_id,
        "ALIBABA_CLOUD_ACCESS_KEY_SECRET": simulator.access_key_secret,
        "CAMS_FRESH_SECONDS": "86400",  # the stored applications stay fresh for the whole run
        "CAMS_MAX_QPS": "1000",
    }


@contextmanager
def gunicorn(env: dict, *, workers: int, threads: int = 1, worker_class: str = "gthread"):
    """gunicorn config.wsgi on a free loopback port; yields its base URL.

    ``worker_class="sync"`` is how docker-compose.yml serves the site (one request per process at
    a time, no keep-alive); ``gthread`` with threads lets many requests wait at once.
    """
    port = free_port()
    log = tempfile.NamedTemporaryFile(prefix="gunicorn-", suffix=".log", delete=False)
    command = [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"{HOST}:{port}"]
    command += ["--workers", str(workers), "--worker-class", worker_class]
    if worker_class == "gthread":
        command += ["--threads", str(threads)]
    command += ["--timeout", "60", "--log-level", "warning"]
    popen = subprocess.Popen(
        command,
        cwd=BASE_DIR,
        env={**_base_env(), **env},
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        preexec_fn=_die_with_parent,
    )
    try:
        _wait_http(f"{HOST}:{port}", popen, Path(log.name))
        yield f"http://{HOST}:{port}"
    finally:
        popen.terminate()
        try:
            popen.wait(timeout=15)
        except subprocess.TimeoutExpired:
            popen.kill()
        log.close()
        Path(log.name).unlink(missing_ok=True)


def _base_env() -> dict:
    # This process's own Django and CAMS settings must not leak into the production server's.
    return {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "CAMS_"))}


def _wait_http(address, popen, log_path, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if popen.poll() is not None:
            raise RuntimeError(f"gunicorn exited:\n{log_path.read_text(errors='replace')[-3000:]}")
        try:
            connection = http.client.HTTPConnection(address, timeout=5)
            connection.request("GET", "/accounts/login/")
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise TimeoutError(f"gunicorn not answering:\n{log_path.read_text(errors='replace')[-3000:]}")


def login(base_url: str, username: str, password: str) -> str:
    """Log in through the login form; returns the Cookie header of the session."""
    address = base_url.removeprefix("http://")
    connection = http.client.HTTPConnection(address, timeout=30)
    connection.request("GET", "/accounts/login/")
    response = connection.getresponse()
    page = response.read().decode()
    cookies = SimpleCookie(response.getheader("Set-Cookie"))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    body = urlencode({"username": username, "password": password, "csrfmiddlewaretoken": token})
    connection.request(
        "POST",
        "/accounts/login/",
        body=body,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={cookies['csrftoken'].value}",
            "Referer": f"{base_url}/accounts/login/",
        },
    )
    response = connection.getresponse()
    response.read()
    session = SimpleCookie(response.getheader("Set-Cookie") or "").get("sessionid")
    if response.status != 302 or session is None:
        raise RuntimeError(f"login failed: HTTP {response.status}")
    return f"sessionid={session.value}"


@dataclass
class LoadResult:
    label: str
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int


def _ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[unit]


def run_wrk(label, url, *, cookie, connections, seconds, threads=2) -> LoadResult:
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", url]
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie}"]
    output = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50 = _ms(*re.search(r"50%\s+([\d.]+)(us|ms|s|m)\b", output).groups())
    p99 = _ms(*re.search(r"99%\s+([\d.]+)(us|ms|s|m)\b", output).groups())
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses:\s+(\d+)", output))
    if found := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output):
        errors += sum(int(n) for n in found.groups())
    return LoadResult(label, rate, p50, p99, errors)


def run_python_client(label, url, *, cookie, connections, seconds) -> LoadResult:
    """A bounded stand-in for wrk: ``connections`` keep-alive clients for ``seconds``."""
    address, path = url.removeprefix("http://").split("/", 1)
    deadline = time.monotonic() + seconds
    samples, errors, guard = [], [0], threading.Lock()

    def client():
        connection = http.client.HTTPConnection(address, timeout=30)
        while time.monotonic() < deadline:
            started = time.perf_counter()
            try:
                connection.request("GET", "/" + path, headers={"Cookie": cookie} if cookie else {})
                response = connection.getresponse()
                response.read()
                ok = response.status < 400
            except OSError:
                ok = False
                connection = http.client.HTTPConnection(address, timeout=30)
            with guard:
                samples.append((time.perf_counter() - started) * 1000)
                errors[0] += not ok

    threads = [threading.Thread(target=client) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    ordered = sorted(samples) or [0.0]
    return LoadResult(
        label,
        len(samples) / seconds,
        statistics.median(ordered),
        ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))],
        errors[0],
    )


def load(label, url, *, cookie, connections, seconds) -> LoadResult:
    runner = run_wrk if shutil.which("wrk") else run_python_client
    return runner(label, url, cookie=cookie, connections=connections, seconds=seconds)


@dataclass
class BurstResult:
    answers: int
    statuses: list
    first_ms: float
    spread_ms: float


def concurrent_first_lookups(url, *, cookie, count) -> BurstResult:
    """``count`` simultaneous GETs of one URL; how long after the first answer the last came."""
    address, path = url.removeprefix("http://").split("/", 1)
    barrier = threading.Barrier(count)
    finished, statuses, guard = [], [], threading.Lock()

    def caller():
        connection = http.client.HTTPConnection(address, timeout=60)
        connection.connect()  # connected before the start line: only the request is timed
        barrier.wait()
        started = time.monotonic()
        connection.request("GET", "/" + path, headers={"Cookie": cookie})
        response = connection.getresponse()
        response.read()
        with guard:
            finished.append((started, time.monotonic()))
            statuses.append(response.status)

    threads = [threading.Thread(target=caller) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    ends = sorted(end for _, end in finished)
    start = min(begin for begin, _ in finished)
    return BurstResult(len(finished), sorted(set(statuses)), (ends[0] - start) * 1000, (ends[-1] - ends[0]) * 1000)
