"""The CAMS rate limit is one budget shared by every process (Redis) or by every process of the
embedded default (file locks). Proven with real OS processes reserving slots concurrently."""

import json
import subprocess
import sys
import textwrap

import pytest

from applications.cams import errors
from applications.coordination.file_backend import FileCoordinator
from applications.coordination.redis_backend import RedisCoordinator
from applications.sandbox.dataset import EXAMPLE_REQUEST_NO
from applications.services.upstream import cams_fetch_rate_limited

PROCESSES, CALLS_EACH, QPS = 4, 12, 20

_CHILD = textwrap.dedent("""
    import json, sys, time
    kind, target, name, qps, calls = sys.argv[1:6]
    if kind == "redis":
        from applications.coordination.redis_backend import RedisCoordinator as Backend
    else:
        from applications.coordination.file_backend import FileCoordinator as Backend
    backend = Backend(target)
    stamps = []
    for _ in range(int(calls)):
        # The slot this call was given (when its reservation was made, plus the wait it was told),
        # not when the process happened to wake: on a loaded machine a late wake-up would bunch
        # stamps together and blame the limiter for the scheduler.
        before = time.time()
        delay = backend.reserve(name, qps=float(qps), max_wait=60)
        stamps.append((before + time.time()) / 2 + delay)
        time.sleep(delay)
    print(json.dumps(stamps))
""")


def _run_processes(kind, target, name):
    children = [
        subprocess.Popen(
            [sys.executable, "-c", _CHILD, kind, target, name, str(QPS), str(CALLS_EACH)],
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(PROCESSES)
    ]
    stamps = []
    for child in children:
        out, _ = child.communicate(timeout=60)
        assert child.returncode == 0
        stamps.extend(json.loads(out))
    return sorted(stamps)


def _assert_within_rate(stamps):
    total = len(stamps)
    # Slots are 1/QPS apart across all processes: the whole run cannot be faster than that...
    assert stamps[-1] - stamps[0] >= (total - 1) / QPS * 0.95
    # ...and no one-second window holds more than QPS calls (+1 for the window's edge).
    for index, start in enumerate(stamps):
        in_window = sum(1 for stamp in stamps[index:] if stamp < start + 1.0)
        assert in_window <= QPS + 1


def test_processes_share_one_rate_limit_through_redis(redis_url):
    RedisCoordinator(redis_url).client.delete("viber-review:rate:test-shared")
    _assert_within_rate(_run_processes("redis", redis_url, "test-shared"))


def test_processes_share_one_rate_limit_through_file_locks(tmp_path):
    _assert_within_rate(_run_processes("file", str(tmp_path), "test-shared"))


@pytest.mark.parametrize("kind", ["redis", "file"])
def test_a_caller_that_would_wait_too_long_is_refused(kind, redis_url, tmp_path):
    backend = RedisCoordinator(redis_url) if kind == "redis" else FileCoordinator(str(tmp_path))
    name = f"test-refuse-{kind}"
    if kind == "redis":
        backend.client.delete(f"viber-review:rate:{name}")
    waits = [backend.reserve(name, qps=2, max_wait=1.0) for _ in range(5)]
    assert waits[0] == 0
    assert waits[1] == pytest.approx(0.5, abs=0.05) and waits[2] == pytest.approx(1.0, abs=0.05)
    assert waits[3] is None and waits[4] is None  # refused, and a refusal reserves nothing


@pytest.mark.django_db
def test_a_lookup_past_the_local_limit_is_throttled_without_calling_cams(live_cams, redis_settings, settings):
    settings.CAMS_MAX_QPS = 0.5  # one call every 2 s
    settings.CAMS_RATE_LIMIT_WAIT_SECONDS = 0.5
    cams_fetch_rate_limited(request_no=EXAMPLE_REQUEST_NO)
    with pytest.raises(errors.Throttled) as caught:
        cams_fetch_rate_limited(request_no=EXAMPLE_REQUEST_NO)
    assert caught.value.code == "LocalRateLimit"
    assert live_cams.stats()["calls"] == 1
