"""Cache-aside lookup of one application by request number.

Fresh stored copy -> served without a call. Otherwise one caller per key (a cross-process
lock) calls CAMS and upserts; the others wait for the lock and then find the fresh copy, so
concurrent misses of one key make exactly one upstream call. Not-found answers are remembered
briefly so a typo does not hammer the API.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from ..cams import errors
from ..coordination import coordinator
from ..models import ViberApplication
from ..selectors.applications import application_get
from .store import application_record_failure, application_store
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


def _not_found_cache_key(request_no, cust_space_id):
    return "notfound:" + _key(request_no, cust_space_id).encode().hex()


def _is_fresh(app, *, since=None):
    if app is None or app.fetched_at is None:
        return False
    if since is not None:
        return app.fetched_at >= since
    ttl = settings.CAMS_FRESH_SECONDS
    return ttl > 0 and timezone.now() - app.fetched_at < timedelta(seconds=ttl)


def _remembered_not_found(request_no, cust_space_id, *, since=None):
    entry = cache.get(_not_found_cache_key(request_no, cust_space_id))
    if not entry:
        return None
    if since is not None and entry["at"] < since.timestamp():
        return None
    return errors.NotFound(entry["message"], code=entry["code"], request_id=entry["request_id"])


def _remember_not_found(request_no, cust_space_id, error):
    if settings.CAMS_NOT_FOUND_TTL_SECONDS:
        cache.set(
            _not_found_cache_key(request_no, cust_space_id),
            {
                "at": timezone.now().timestamp(),
                "message": error.message,
                "code": error.code,
                "request_id": error.request_id,
            },
            settings.CAMS_NOT_FOUND_TTL_SECONDS,
        )


def application_lookup(*, request_no: str, cust_space_id: str = "", force: bool = False) -> LookupResult:
    """Return the application, from the database when fresh, else from CAMS.

    Side effects: at most one CAMS call (rate limited), a DB upsert, a snapshot when content
    changed. Raises a CamsError only when CAMS fails and nothing is stored.
    """
    app = application_get(request_no=request_no, cust_space_id=cust_space_id)
    if not force:
        if _is_fresh(app):
            return LookupResult(app, SOURCE_CACHE)
        if app is None and (remembered := _remembered_not_found(request_no, cust_space_id)):
            raise remembered
    started = timezone.now()
    with coordinator().lock(
        _key(request_no, cust_space_id), ttl=settings.CAMS_LOCK_TTL_SECONDS, wait=settings.CAMS_LOCK_TTL_SECONDS
    ) as leader:
        # Whoever held the lock before us may have fetched what we came for.
        app = application_get(request_no=request_no, cust_space_id=cust_space_id)
        if _is_fresh(app, since=started):
            return LookupResult(app, SOURCE_UPSTREAM)
        if app is None and (remembered := _remembered_not_found(request_no, cust_space_id, since=started)):
            raise remembered
        if not leader and app is not None:
            return LookupResult(
                app,
                SOURCE_STALE,
                errors.UpstreamUnavailable(
                    "Another lookup of this application is still running", code="LookupInProgress"
                ),
            )
        return _fetch_and_store(request_no, cust_space_id, app)


def _fetch_and_store(request_no, cust_space_id, app):
    # The network call happens outside any transaction; the write after it is short.
    try:
        fetched = cams_fetch_rate_limited(request_no=request_no, cust_space_id=cust_space_id)
    except errors.NotFound as error:
        if app is None:
            _remember_not_found(request_no, cust_space_id, error)
            raise
        application_record_failure(application=app, error=error)
        return LookupResult(app, SOURCE_STALE, error)
    except errors.CamsError as error:
        if app is None:
            raise
        application_record_failure(application=app, error=error)
        return LookupResult(app, SOURCE_STALE, error)
    app = application_store(fetched=fetched, request_no=request_no, cust_space_id=cust_space_id)
    cache.delete(_not_found_cache_key(request_no, cust_space_id))
    return LookupResult(app, SOURCE_UPSTREAM)
