"""The application's pages: look one up, show it, refresh it now or in the background.

Thin: the request number is validated and CAMS failures answered by ``errors.application_view``;
fetching is services.lookup's, reading the selectors'.
"""

import time
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ..permissions import can_refresh
from ..selectors.applications import application_get, application_load_documents
from ..services.lookup import SOURCE_CACHE, SOURCE_STALE, application_lookup
from ..services.refresh import applications_refresh_enqueue
from .errors import application_view
from .fragments import application_fragments
from .page_cache import cached_application_page
from .presenters import refresh_schedule
from .review_presenters import review_context

# After /lookup/ or a refresh has just called CAMS, the redirected GET shows that outcome
# instead of calling again: a failing CAMS would otherwise be hit twice per click.
_JUST_FETCHED = "applications:just-fetched"
_JUST_FETCHED_SECONDS = 30


def _refresh_permission_required(view):
    """Forced refreshes spend the shared CAMS quota: only users who ``can_refresh`` (403 otherwise)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not can_refresh(request.user):
            raise PermissionDenied(_("Refreshing from CAMS needs the refresh permission (the reviewers group has it)."))
        return view(request, *args, **kwargs)

    return wrapped


def _remember_fetch(request, result, *, request_no, cust_space_id):
    request.session[_JUST_FETCHED] = {
        "key": [request_no, cust_space_id],
        "at": time.time(),
        "source": result.source,
        "error": result.error.as_dict() if result.error else None,
    }


def _take_fetch(request, *, request_no, cust_space_id):
    entry = request.session.pop(_JUST_FETCHED, None)
    if not entry or entry.get("key") != [request_no, cust_space_id]:
        return None
    if time.time() - entry.get("at", 0) > _JUST_FETCHED_SECONDS:
        return None
    return entry


@require_GET
@login_required
@application_view()
def lookup(request, request_no, cust_space_id):
    """The home page's form: fetch (or find) the application, then show its page."""
    result = application_lookup(request_no=request_no, cust_space_id=cust_space_id)
    _remember_fetch(request, result, request_no=request_no, cust_space_id=cust_space_id)
    return redirect(result.application)


@require_GET
@login_required
@application_view()
def detail(request, request_no, cust_space_id):
    application, source, stale_error = None, None, None
    just_fetched = _take_fetch(request, request_no=request_no, cust_space_id=cust_space_id)
    if just_fetched:
        application = application_get(request_no=request_no, cust_space_id=cust_space_id)
        source, stale_error = just_fetched["source"], just_fetched["error"]
    if application is None:
        result = application_lookup(request_no=request_no, cust_space_id=cust_space_id)
        application, source = result.application, result.source
        stale_error = result.error.as_dict() if result.error else None
    return detail_page(request, application, source=source, stale_error=stale_error)


def detail_page(request, application, *, source=None, stale_error=None, bound_forms=None, status=200):
    """The application page; ``bound_forms`` re-shows a review form with its errors (status 400).

    A stored copy's page, with nothing to report, is served from the page cache (page_cache.py).
    """
    if source == SOURCE_CACHE and not bound_forms:
        return cached_application_page(request, application, lambda: _render_detail(request, application, source))
    return _render_detail(request, application, source, stale_error=stale_error, bound_forms=bound_forms, status=status)


def _render_detail(request, application, source, *, stale_error=None, bound_forms=None, status=200):
    application_load_documents(application)  # a stored copy was read without them (services/lookup.py)
    context = {
        "application": application,
        "source": source,
        "stale_error": stale_error if source == SOURCE_STALE else None,
        "cust_space_id": application.cust_space_id,
        "can_refresh": can_refresh(request.user),
        "schedule": refresh_schedule(application, timezone.now()),
        # content, history, review_log: rendered once per stored content / fetch / review change
        # and kept in the cache (fragments.py).
        **application_fragments(application),
        **review_context(request, application),
        **(bound_forms or {}),
    }
    return render(request, "applications/detail.html", context, status=status)


@require_POST
@login_required
@_refresh_permission_required
@application_view()
def refresh(request, request_no, cust_space_id):
    """Fetch from CAMS now, whatever is stored, and go back to the page."""
    result = application_lookup(request_no=request_no, cust_space_id=cust_space_id, force=True)
    _remember_fetch(request, result, request_no=request_no, cust_space_id=cust_space_id)
    if result.error:
        error = result.error
        messages.error(
            request,
            _(
                "Refresh failed: %(title)s. %(message)s (code %(code)s, RequestId %(request_id)s). "
                "Showing the stored copy."
            )
            % {
                "title": error.title,
                "message": error.message,
                "code": error.code or "—",
                "request_id": error.request_id or "—",
            },
        )
    else:
        messages.success(request, _("Fetched a fresh copy from CAMS."))
    return redirect(result.application)


@require_POST
@login_required
@_refresh_permission_required
@application_view()
def refresh_background(request, request_no, cust_space_id):
    """Queue one background refresh of a stored application and go back to its page.

    Only queues a Celery message (sent once the request's transaction commits); the fetch itself
    happens in a worker, through the shared limiter.
    """
    application = application_get(request_no=request_no, cust_space_id=cust_space_id)
    if application is None:
        raise Http404(_("No stored application with this request number."))
    applications_refresh_enqueue(application_ids=[application.pk])
    messages.success(
        request,
        _(
            "Queued a background refresh. A worker fetches it from CAMS within the "
            "rate limit; reload this page in a moment to see the result."
        ),
    )
    return redirect(application)
