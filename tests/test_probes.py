"""/healthz and /readyz: public, cheap, no session; readiness follows the database and Redis."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings

BASE_DIR = django_settings.BASE_DIR


def test_healthz_answers_without_touching_the_database_or_a_session(client, settings):
    settings.ALLOWED_HOSTS = ["review.example.com"]  # a container healthcheck asks for 127.0.0.1
    settings.SECURE_SSL_REDIRECT = True  # probes are asked over plain HTTP inside the deployment
    # No django_db mark: pytest-django's blocker would fail this test on any database access.
    response = client.get("/healthz", HTTP_HOST="127.0.0.1:8000")
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    assert "Set-Cookie" not in response and response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_readyz_checks_the_database_and_redis(client, redis_settings):
    response = client.get("/readyz", HTTP_HOST="127.0.0.1")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "redis": "ok"}}
    assert "Set-Cookie" not in response


@pytest.mark.django_db
def test_readyz_is_503_when_redis_is_down(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:9/0"  # a closed port: refused at once
    response = client.get("/readyz/")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "redis": "down"}


@pytest.mark.django_db
def test_readyz_without_redis_configured_checks_only_the_database(client, settings):
    settings.REDIS_URL = ""
    assert client.get("/readyz").json()["checks"] == {"database": "ok"}


def test_readyz_is_503_when_the_database_does_not_answer(tmp_path):
    # A separate process whose database is a closed port: connecting fails like a dead server.
    script = (
        "import django; django.setup(); from django.test import Client; "
        "r = Client().get('/readyz'); print(r.status_code, r.content.decode())"
    )
    env = {
        **os.environ,
        "DATABASE_URL": "postgres://postgres@127.0.0.1:9/nowhere",
        "REDIS_URL": "",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "VIBER_REVIEW_VAR_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, cwd=BASE_DIR, capture_output=True, text=True, timeout=60
    )
    status, body = result.stdout.strip().split(" ", 1)
    assert status == "503" and json.loads(body)["checks"] == {"database": "down"}
