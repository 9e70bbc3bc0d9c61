"""The cache-aside lookup flow through the real SDK and the simulator."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from applications.cams import errors
from applications.models import ApplicationSnapshot, ViberApplication
from applications.sandbox.dataset import EXAMPLE_REQUEST_NO
from applications.services.lookup import SOURCE_CACHE, SOURCE_STALE, SOURCE_UPSTREAM, application_lookup

pytestmark = pytest.mark.django_db


def test_a_miss_fetches_and_stores_the_application(live_cams):
    result = application_lookup(request_no=EXAMPLE_REQUEST_NO)
    assert result.source == SOURCE_UPSTREAM
    stored = ViberApplication.objects.get(request_no=EXAMPLE_REQUEST_NO)
    assert stored.company_legal_name == "xxxxxxcompany"
    assert stored.raw_response["Data"]["RequestNo"] == EXAMPLE_REQUEST_NO
    assert stored.snapshots.count() == 1
    assert live_cams.stats()["ok"] == 1


def test_a_fresh_copy_is_served_without_calling_cams(live_cams, settings):
    settings.CAMS_FRESH_SECONDS = 300
    application_lookup(request_no=EXAMPLE_REQUEST_NO)
    result = application_lookup(request_no=EXAMPLE_REQUEST_NO)
    assert result.source == SOURCE_CACHE
    assert live_cams.stats()["calls"] == 1


def test_a_ttl_of_zero_always_asks_cams(live_cams, settings):
    settings.CAMS_FRESH_SECONDS = 0
    application_lookup(request_no=EXAMPLE_REQUEST_NO)
    assert application_lookup(request_no=EXAMPLE_REQUEST_NO).source == SOURCE_UPSTREAM
    assert live_cams.stats()["calls"] == 2
    assert ApplicationSnapshot.objects.count() == 1  # same content, no second snapshot


def test_an_expired_copy_is_fetched_again(live_cams, settings):
    settings.CAMS_FRESH_SECONDS = 60
    application_lookup(request_no=EXAMPLE_REQUEST_NO)
    ViberApplication.objects.update(fetched_at=timezone.now() - timedelta(seconds=61))
    assert application_lookup(request_no=EXAMPLE_REQUEST_NO).source == SOURCE_UPSTREAM


def test_force_asks_cams_even_when_fresh(live_cams, settings):
    settings.CAMS_FRESH_SECONDS = 300
    application_lookup(request_no=EXAMPLE_REQUEST_NO)
    assert application_lookup(request_no=EXAMPLE_REQUEST_NO, force=True).source == SOURCE_UPSTREAM


def test_a_failure_keeps_the_stored_copy_untouched_and_serves_it_stale(live_cams, settings):
    settings.CAMS_FRESH_SECONDS = 0
    application_lookup(request_no=EXAMPLE_REQUEST_NO)
    before = ViberApplication.objects.values().get(request_no=EXAMPLE_REQUEST_NO)
    live_cams.set_faults(error_rate=1.0)
    result = application_lookup(request_no=EXAMPLE_REQUEST_NO)
    assert result.source == SOURCE_STALE
    assert isinstance(result.error, errors.UpstreamUnavailable)
    after = ViberApplication.objects.values().get(request_no=EXAMPLE_REQUEST_NO)
    changed = {key for key in before if before[key] != after[key]}
    assert changed <= {
        "last_error_kind",
        "last_error_code",
        "last_error_message",
        "last_error_request_id",
        "last_error_at",
        "next_refresh_at",
        "updated_at",
    }
    assert after["last_error_request_id"] and after["last_error_kind"] == "unavailable"
    assert after["company_legal_name"] == "xxxxxxcompany"


def test_a_malformed_answer_writes_nothing(live_cams, settings):
    settings.CAMS_FRESH_SECONDS = 0
    live_cams.set_faults(malformed_rate=1.0, malformed_kind="data-string")
    with pytest.raises(errors.UpstreamUnavailable):
        application_lookup(request_no=EXAMPLE_REQUEST_NO)
    assert not ViberApplication.objects.exists()


def test_not_found_is_raised_and_remembered_briefly(live_cams, settings):
    settings.CAMS_NOT_FOUND_TTL_SECONDS = 60
    for _ in range(3):
        with pytest.raises(errors.NotFound):
            application_lookup(request_no="1234000000")
    assert live_cams.stats()["calls"] == 1
    assert not ViberApplication.objects.exists()


def test_a_throttled_lookup_without_a_copy_raises_throttled(live_cams):
    live_cams.set_faults(throttle_rate=1.0)
    with pytest.raises(errors.Throttled):
        application_lookup(request_no=EXAMPLE_REQUEST_NO)


def _concurrent_lookups(count, request_no):
    barrier = threading.Barrier(count)
    outcomes = []

    def worker():
        barrier.wait()
        try:
            outcomes.append(application_lookup(request_no=request_no).source)
        except errors.CamsError as exc:
            outcomes.append(exc.kind)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_concurrent_misses_make_exactly_one_upstream_call(live_cams, redis_settings, settings):
    settings.CAMS_FRESH_SECONDS = 0  # even with "always ask", simultaneous askers share one call
    live_cams.set_faults(latency_ms=300)
    outcomes = _concurrent_lookups(8, EXAMPLE_REQUEST_NO)
    assert outcomes == [SOURCE_UPSTREAM] * 8
    assert live_cams.stats()["calls"] == 1
    assert ApplicationSnapshot.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_lookups_of_an_unknown_number_make_one_call(live_cams, redis_settings):
    live_cams.set_faults(latency_ms=300)
    outcomes = _concurrent_lookups(6, "1234000000")
    assert outcomes == ["not_found"] * 6
    assert live_cams.stats()["calls"] == 1
