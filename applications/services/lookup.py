"""Cache-aside lookup of one application by request number.

Fresh stored copy -> served without a call. Otherwise one caller per key (a cross-process
lock) calls CAMS and upserts; the others wait for the lock and then find the fresh copy, so
concurrent misses of one key make exactly one upstream call. Not-found answers are remembered
briefly so a typo does not hammer the API.
"""

import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from ..cams import errors
from ..coordination import coordinator
from ..models import ViberApplication
from ..selectors.applications import application_get, application_get_summary
from .store import application_record_failure, application_store, application_store_if_unchanged
from .upstream import cams_fetch_rate_limited

SOURCE_CACHE = "cache"  # served from the database, fresh enough
SOURCE_UPSTREAM = "upstream"  # fetched from CAMS just now (by us or by a concurrent caller)
SOURCE_STALE = "stale"  # CAMS failed; an older stored copy is served with the error


@dataclass
class LookupResult:
    application: ViberApplication
    source: str
    error: errors.CamsError | None = None


def _key(request_no, cust_space_id):
    return f"{cust_space_id}\x1f{request_no}"


def _error_cache_key(kind, request_no, cust_space_id):
    return f"lookup-{kind}:" + _key(request_no, cust_space_id).encode().hex()


def _handover_key(request_no, cust_space_id):
    return "lookup-handover:" + _key(request_no, cust_space_id).encode().hex()


# The waiters read the handover as soon as the lock is released; nobody else reads it.
HANDOVER_SECONDS = 5

_ERROR_CLASSES = {cls.kind: cls for cls in (errors.CamsError, *errors.CamsError.__subclasses__())}


def _is_fresh(app, *, since=None):
    if app is None or app.fetched_at is None:
        return False
    if since is not None:
        return app.fetched_at >= since
    ttl = settings.CAMS_FRESH_SECONDS
    return ttl > 0 and timezone.now() - app.fetched_at < timedelta(seconds=ttl)


def _remembered_error(slot, request_no, cust_space_id, *, since=None):
    entry = cache.get(_error_cache_key(slot, request_no, cust_space_id))
    if not entry:
        return None
    if since is not None and entry["at"] < since.timestamp():
        return None
    error_class = _ERROR_CLASSES.get(entry.get("kind", "not_found"), errors.CamsError)
    return error_class(entry["message"], code=entry["code"], request_id=entry["request_id"])


def _remember_error(slot, request_no, cust_space_id, error, ttl):
    if ttl:
        cache.set(
            _error_cache_key(slot, request_no, cust_space_id),
            {
                "at": timezone.now().timestamp(),
                "kind": error.kind,
                "message": error.message,
                "code": error.code,
                "request_id": error.request_id,
            },
            ttl,
        )


def _stored_failure(app, since):
    """The failure a leader recorded on the stored copy after ``since``, as the error it was."""
    if app is None or app.last_error_at is None or app.last_error_at < since:
        return None
    error_class = _ERROR_CLASSES.get(app.last_error_kind, errors.CamsError)
    return error_class(app.last_error_message, code=app.last_error_code, request_id=app.last_error_request_id)


# "Not found" is remembered for CAMS_NOT_FOUND_TTL_SECONDS for everyone; any other failure of a
# lookup with nothing stored only for the callers that waited on that lookup.
NOT_FOUND, FAILED = "notfound", "failed"


def application_lookup(*, request_no: str, cust_space_id: str = "", force: bool = False) -> LookupResult:
    """Return the application, from the database when fresh, else from CAMS.

    Side effects: at most one CAMS call (rate limited), a DB upsert, a snapshot when content
    changed. Raises a CamsError only when CAMS fails and nothing is stored. Concurrent callers of
    one key share the call: they wait for the caller that makes it and take its result.
    """
    # A fresh stored copy is answered from its cached page or body, keyed by the row without its
    # JSON (views/render_keys.py); whoever renders it loads the JSON then. Every other path below
    # reads the whole row again.
    app = application_get_summary(request_no=request_no, cust_space_id=cust_space_id)
    if not force:
        if _is_fresh(app):
            return LookupResult(app, SOURCE_CACHE)
        if app is None and (remembered := _remembered_error(NOT_FOUND, request_no, cust_space_id)):
            raise remembered
    started = timezone.now()
    deadline = time.monotonic() + settings.CAMS_LOCK_TTL_SECONDS
    while True:
        wait = max(deadline - time.monotonic(), 0)
        with coordinator().lock(
            _key(request_no, cust_space_id), ttl=settings.CAMS_LOCK_TTL_SECONDS, wait=wait
        ) as flight:
            # A leader that held the lock while we waited fetched what we came for, even when it
            # stamped the row a moment before we started: compare against when that leader began.
            since = started
            if flight.leader_since is not None:
                since = min(started, datetime.fromtimestamp(flight.leader_since, tz=UTC))
            app = None if flight.leader else cache.get(_handover_key(request_no, cust_space_id))
            if not _is_fresh(app, since=since):
                app = application_get(request_no=request_no, cust_space_id=cust_space_id)
            if _is_fresh(app, since=since):
                return LookupResult(app, SOURCE_UPSTREAM)
            for slot in (NOT_FOUND, FAILED):
                if app is None and (remembered := _remembered_error(slot, request_no, cust_space_id, since=since)):
                    raise remembered
            if flight.leader:
                return _fetch_and_store(request_no, cust_space_id, app)
            if not flight.timed_out and (failure := _stored_failure(app, since)):
                return LookupResult(app, SOURCE_STALE, failure)
            if flight.timed_out or time.monotonic() >= deadline:
                if app is not None:
                    return LookupResult(
                        app,
                        SOURCE_STALE,
                        errors.UpstreamUnavailable(
                            "Another lookup of this application is still running", code="LookupInProgress"
                        ),
                    )
                return _fetch_and_store(request_no, cust_space_id, app)
        # The leader finished without a result for us (its lock expired mid-call): lead next.


def _fetch_and_store(request_no, cust_space_id, app):
    # The network call happens outside any transaction; the write after it is short.
    try:
        fetched = cams_fetch_rate_limited(request_no=request_no, cust_space_id=cust_space_id)
    except errors.NotFound as error:
        if app is None:
            _remember_error(NOT_FOUND, request_no, cust_space_id, error, settings.CAMS_NOT_FOUND_TTL_SECONDS)
            raise
        application_record_failure(application=app, error=error)
        return LookupResult(app, SOURCE_STALE, error)
    except errors.CamsError as error:
        if app is None:
            _remember_error(FAILED, request_no, cust_space_id, error, settings.CAMS_LOCK_TTL_SECONDS)
            raise
        application_record_failure(application=app, error=error)
        return LookupResult(app, SOURCE_STALE, error)
    if app is None or not application_store_if_unchanged(fetched=fetched, application=app):
        app = application_store(fetched=fetched, request_no=request_no, cust_space_id=cust_space_id)
    cache.delete(_error_cache_key(NOT_FOUND, request_no, cust_space_id))
    # Handed to the callers waiting on this lookup, which wake together when the lock is
    # released: one cache read each instead of fifty database reads at once.
    cache.set(_handover_key(request_no, cust_space_id), app, HANDOVER_SECONDS)
    return LookupResult(app, SOURCE_UPSTREAM)
