"""Shared fixtures: a live CAMS simulator over loopback, real Redis, and CI strictness.

Under CI (CI=true) a test whose service is missing fails instead of skipping, so a green run
always means PostgreSQL, Redis and Chromium were really exercised.
"""
import os

# Tests never run on ECS: keep the credential chain from starting its metadata-refresh scheduler
# (it logs "Scheduler has been shut down" into closed streams at exit).
os.environ.setdefault("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true")

import pytest  # noqa: E402
import redis as redis_lib  # noqa: E402
from django.core.cache import cache  # noqa: E402


# The simulator fixtures (cams_simulator, cams_simulator_factory, signed raw calls ...).
pytest_plugins = ["tests.simulator_fixtures"]

IN_CI = os.environ.get("CI", "").lower() == "true"
TEST_REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/14"


def require(condition: bool, reason: str):
    """Skip locally, fail under CI."""
    if not condition:
        if IN_CI:
            pytest.fail(f"required under CI: {reason}")
        pytest.skip(reason)


@pytest.fixture
def live_cams(cams_simulator, settings):
    """Point the app at the session's simulator, with clean faults and counters."""
    simulator = cams_simulator
    settings.CAMS_ENDPOINT = simulator.endpoint
    settings.CAMS_PROTOCOL = "http"
    settings.CAMS_ENDPOINT_IS_SIMULATOR = True
    settings.CAMS_ACCESS_KEY_ID = simulator.access_key_id
    settings.CAMS_ACCESS_KEY_SECRET = simulator.access_key_secret
    settings.CAMS_SECURITY_TOKEN = ""
    settings.CAMS_CONNECT_TIMEOUT_MS = 2000
    settings.CAMS_READ_TIMEOUT_MS = 5000
    yield simulator


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings):
    # Tests make many calls: a high limit keeps them fast; the limiter tests set their own.
    settings.CAMS_MAX_QPS = 10_000
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def redis_url():
    try:
        redis_lib.Redis.from_url(TEST_REDIS_URL, socket_connect_timeout=1).ping()
    except redis_lib.RedisError as exc:
        require(False, f"Redis at {TEST_REDIS_URL} is not reachable: {exc}")
    return TEST_REDIS_URL


@pytest.fixture
def redis_settings(settings, redis_url):
    """Run the test with Redis as cache and coordination backend, as in production."""
    settings.REDIS_URL = redis_url
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_url}}
    redis_lib.Redis.from_url(redis_url).flushdb()
    yield settings
    redis_lib.Redis.from_url(redis_url).flushdb()
