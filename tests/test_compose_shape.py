"""docker-compose.yml, run natively: each app service's command against PostgreSQL and Redis.

No container engine here, so the test reads the compose file, resolves its variables as compose
would (from a .env-like mapping), points the service hosts at the local PostgreSQL and Redis and
runs each command as a process: web migrates a fresh database and answers its own healthcheck
(/readyz), the worker consumes a task, beat starts. Each step is bounded in time.
"""

import os
import re
import secrets
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
import yaml
from celery import Celery
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
VENV_BIN = BASE_DIR / ".venv" / "bin"
_VARIABLE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^${}]*))?\}")


def interpolate(text: str, values: dict) -> str:
    """Compose's ${VAR}, ${VAR:-default}, ${VAR-default} and ${VAR:?error}, innermost first."""

    def one(match):
        name, operator, argument = match.group(1), match.group(2), match.group(3) or ""
        value = values.get(name)
        if operator in (":-", ":?") and not value or operator in ("-", "?") and value is None:
            if operator.endswith("?"):
                raise AssertionError(f"compose requires {name}: {argument}")
            return argument
        return value or ""

    while _VARIABLE.search(text):
        text = _VARIABLE.sub(one, text)
    return text


def _resolve(node, values):
    if isinstance(node, str):
        return interpolate(node, values)
    if isinstance(node, list):
        return [_resolve(item, values) for item in node]
    if isinstance(node, dict):
        return {key: _resolve(value, values) for key, value in node.items()}
    return node


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def compose_database(require):
    base = os.environ.get("DATABASE_URL", "")
    require(base.startswith("postgres"), "the compose test needs PostgreSQL (DATABASE_URL)")
    require(bool(os.environ.get("REDIS_URL")), "the compose test needs Redis (REDIS_URL)")
    parts = urlsplit(base)
    name = f"{parts.path.lstrip('/') or 'viber_review'}_compose"
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    yield urlunsplit(parts._replace(path=f"/{name}"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Services:
    def __init__(self, compose: dict, env: dict, port: int):
        self.compose, self.env, self.port, self.processes = compose, env, port, []

    def command(self, service: str) -> list[str]:
        command = self.compose["services"][service]["command"]
        # Inside the container the web listens on 0.0.0.0:8000; here on a free loopback port.
        return [part.replace("0.0.0.0:8000", f"127.0.0.1:{self.port}") for part in command]

    def start(self, service: str, log: Path) -> subprocess.Popen:
        handle = log.open("w")
        process = subprocess.Popen(
            self.command(service),
            env=self.env,
            cwd=BASE_DIR,
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.processes.append(process)
        return process

    def stop(self):
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, 15)
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, 9)
                process.wait()


def _wait_for(predicate, seconds: float, what: str, log: Path | None = None):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.5)
    tail = log.read_text()[-3000:] if log and log.exists() else ""
    raise AssertionError(f"{what} within {seconds} s\n{tail}")


@pytest.mark.timeout(300)
def test_the_compose_services_run_natively_against_postgresql_and_redis(compose_database, tmp_path):
    assert shutil.which("sh"), "the web command runs through sh -c"
    raw = yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text())
    dot_env = {"DJANGO_SECRET_KEY": secrets.token_urlsafe(50), "POSTGRES_PASSWORD": secrets.token_hex(16)}
    compose = _resolve(raw, dot_env)
    app_env = compose["x-app-env"]
    assert app_env["DJANGO_ENV"] == "production"
    for service in ("web", "worker", "beat"):
        assert compose["services"][service]["environment"] == app_env, service
    # The service host names (postgres, redis, simulator) exist only inside compose's network.
    assert urlsplit(app_env["DATABASE_URL"]).hostname == "postgres"
    assert urlsplit(app_env["REDIS_URL"]).hostname == "redis"
    redis_url = os.environ["REDIS_URL"]
    env = {
        **{key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "CAMS_", "CELERY_"))},
        **app_env,
        "DATABASE_URL": compose_database,
        "REDIS_URL": redis_url,
        "CAMS_ENDPOINT": "127.0.0.1:9",
        "VIBER_REVIEW_VAR_DIR": str(tmp_path),
        "GUNICORN_WORKERS": "1",
        "PATH": f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    port = _free_port()
    services = Services(_resolve(raw, {**dot_env, "GUNICORN_WORKERS": "1", "CELERY_CONCURRENCY": "1"}), env, port)
    logs = {name: tmp_path / f"{name}.log" for name in ("web", "worker", "beat")}
    try:
        web = services.start("web", logs["web"])
        healthcheck = compose["services"]["web"]["healthcheck"]["test"]
        assert healthcheck[0] == "CMD" and "/readyz" in " ".join(healthcheck)
        probe = [part.replace("127.0.0.1:8000", f"127.0.0.1:{port}") for part in healthcheck[1:]]

        def healthy():
            assert web.poll() is None, logs["web"].read_text()[-3000:]
            return subprocess.run(probe, env=env, capture_output=True, timeout=10).returncode == 0

        _wait_for(healthy, 180, "web (migrate, then gunicorn) became healthy", logs["web"])
        assert "Applying applications.0001_initial... OK" in logs["web"].read_text()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=5) as response:
            assert response.status == 200 and b'"redis": "ok"' in response.read()

        worker = services.start("worker", logs["worker"])
        _wait_for(lambda: "ready." in logs["worker"].read_text(), 90, "the worker became ready", logs["worker"])
        broker = Celery(broker=redis_url)
        sent = broker.send_task("applications.tasks.refresh_plan_due")
        _wait_for(
            lambda: f"[{sent.id}] succeeded" in logs["worker"].read_text(),
            60,
            "the worker ran the task",
            logs["worker"],
        )
        assert worker.poll() is None

        beat = services.start("beat", logs["beat"])
        _wait_for(lambda: "beat: Starting..." in logs["beat"].read_text(), 60, "beat started", logs["beat"])
        time.sleep(1)
        assert beat.poll() is None, logs["beat"].read_text()[-3000:]
    finally:
        services.stop()
