"""Shared fixtures: CI strictness, CAMS settings (the live simulator or a closed port), real Redis.

Under CI (CI=true) a test whose service is missing fails instead of skipping (the ``require``
fixture), so a green run always means PostgreSQL, Redis and Chromium were really exercised.

More fixtures come from the plugins below; test modules import none of them, nor each other:
- tests/plugins/simulator.py: the CAMS simulator, SDK clients, raw signed calls;
- tests/plugins/users.py: users in each group, logged-in clients;
- tests/plugins/html.py: parsing pages with BeautifulSoup;
- tests/plugins/browser.py: Chromium through Playwright, logging in, screenshots;
- tests/plugins/workers.py: the environment of real Celery worker processes.
Data builders (stored applications, CAMS bodies) are plain functions in tests/factories.py.
"""

import os

# Tests never run on ECS: keep the credential chain from starting its metadata-refresh scheduler
# (it logs "Scheduler has been shut down" into closed streams at exit).
os.environ.setdefault("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true")

import pytest  # noqa: E402
import redis as redis_lib  # noqa: E402
from django.core.cache import cache  # noqa: E402

from applications import content_cache, role_cache  # noqa: E402

pytest_plugins = [
    "tests.plugins.simulator",
    "tests.plugins.users",
    "tests.plugins.html",
    "tests.plugins.browser",
    "tests.plugins.workers",
    "tests.plugins.notify",
]

IN_CI = os.environ.get("CI", "").lower() == "true"
TEST_REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/14"


def _require(condition: bool, reason: str):
    if not condition:
        if IN_CI:
            pytest.fail(f"required under CI: {reason}")
        pytest.skip(reason)


@pytest.fixture(scope="session")
def in_ci() -> bool:
    return IN_CI


@pytest.fixture(scope="session")
def require():
    """``require(condition, reason)``: skip the test locally, fail it under CI."""
    return _require


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


@pytest.fixture
def cams_unreachable(settings):
    """CAMS at a closed port: every fetch is a real, immediate connection refusal."""
    settings.CAMS_ENDPOINT = "127.0.0.1:9"
    settings.CAMS_PROTOCOL = "http"
    settings.CAMS_ACCESS_KEY_ID, settings.CAMS_ACCESS_KEY_SECRET = "test-key-id", "test-key-secret"
    settings.CAMS_FRESH_SECONDS = 0  # every stored copy is stale, so a page view tries CAMS
    settings.CAMS_CONNECT_TIMEOUT_MS = 300
    settings.CAMS_READ_TIMEOUT_MS = 500
    return settings


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings):
    # Tests make many calls: a high limit keeps them fast; the limiter tests set their own.
    settings.CAMS_MAX_QPS = 10_000
    cache.clear()
    content_cache.clear_local()
    role_cache.clear_local()
    yield
    cache.clear()
    content_cache.clear_local()
    role_cache.clear_local()


@pytest.fixture
def redis_url():
    try:
        redis_lib.Redis.from_url(TEST_REDIS_URL, socket_connect_timeout=1).ping()
    except redis_lib.RedisError as exc:
        _require(False, f"Redis at {TEST_REDIS_URL} is not reachable: {exc}")
    return TEST_REDIS_URL


@pytest.fixture
def redis_settings(settings, redis_url):
    """Run the test with Redis as cache and coordination backend, as in production."""
    settings.REDIS_URL = redis_url
    settings.CACHES = {"default": {"BACKEND": "config.cache.ReusedClientRedisCache", "LOCATION": redis_url}}
    redis_lib.Redis.from_url(redis_url).flushdb()
    yield settings
    redis_lib.Redis.from_url(redis_url).flushdb()
