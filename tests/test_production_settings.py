"""Production settings, each checked in a fresh process as a deployment would start it."""

import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings

PG_URL = os.environ.get("DATABASE_URL", "")


def _production_env(tmp_path, **overrides) -> dict:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "EMAIL_"))}
    env.update(
        DJANGO_ENV="production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="review.example.com",
        DATABASE_URL="postgres://viber@db.invalid:5432/viber_review",
        REDIS_URL="redis://redis.invalid:6379/0",
        VIBER_REVIEW_VAR_DIR=str(tmp_path),
    )
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def _manage(env, *args):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_with_the_production_env_gives_no_warnings(tmp_path):
    result = _manage(_production_env(tmp_path), "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"DJANGO_SECRET_KEY": "x" * 49}, "DJANGO_SECRET_KEY must have at least 50 characters"),
        ({"DJANGO_SECRET_KEY": None}, "DJANGO_SECRET_KEY must be set"),
        ({"DATABASE_URL": None}, "DATABASE_URL must be set"),
        ({"DATABASE_URL": ""}, "DATABASE_URL must be set"),
        ({"REDIS_URL": None}, "REDIS_URL must be set"),
        ({"DJANGO_SECURE_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO"}, "must be 'HEADER,value'"),
    ],
    ids=["short secret key", "no secret key", "no DATABASE_URL", "empty DATABASE_URL", "no REDIS_URL", "bad proxy"],
)
def test_production_refuses_to_start_without_what_it_needs(tmp_path, overrides, message):
    result = _manage(_production_env(tmp_path, **overrides), "check")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and message in result.stderr


def _printed_settings(env, *names) -> list[str]:
    code = "from django.conf import settings as s; " + "; ".join(f"print('=', repr(s.{name}))" for name in names)
    result = _manage(env, "shell", "--no-imports", "-c", code)
    assert result.returncode == 0, result.stderr
    return [line[2:] for line in result.stdout.splitlines() if line.startswith("= ")]


def test_https_is_on_by_default_in_production_and_configurable(tmp_path):
    names = ("SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_PROXY_SSL_HEADER", "SESSION_COOKIE_SECURE")
    assert _printed_settings(_production_env(tmp_path), *names) == ["True", "31536000", "None", "True"]
    env = _production_env(
        tmp_path,
        DJANGO_SECURE_SSL_REDIRECT="false",
        DJANGO_SECURE_HSTS_SECONDS="0",
        DJANGO_SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO,https",
    )
    assert _printed_settings(env, *names) == ["False", "0", "('HTTP_X_FORWARDED_PROTO', 'https')", "True"]
