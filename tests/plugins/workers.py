"""The environment of real Celery worker processes started by a test (see benchmarks.worker_processes)."""

import os

import pytest
from django.db import connection

from applications.benchmarks.worker_processes import current_database_url


@pytest.fixture
def worker_env(live_cams, redis_settings, require) -> dict:
    """Variables for a worker that shares this test's database, Redis and simulator."""
    require(connection.vendor == "postgresql", "worker processes need PostgreSQL (the test DB is shared)")
    require(bool(os.environ.get("REDIS_URL")), "worker processes need REDIS_URL as this process's broker")
    return {
        "DATABASE_URL": current_database_url(),
        "REDIS_URL": redis_settings.REDIS_URL,
        "CAMS_ENDPOINT": live_cams.endpoint,
        "CAMS_PROTOCOL": "http",
        "ALIBABA_CLOUD_ACCESS_KEY_ID": live_cams.access_key_id,
        "ALIBABA_CLOUD_ACCESS_KEY_SECRET": live_cams.access_key_secret,
        "CAMS_RATE_LIMIT_WAIT_SECONDS": 30,
        "DJANGO_LOG_LEVEL": "WARNING",
    }
