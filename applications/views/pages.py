"""HTML pages: home with the lookup form, the application page, refresh, and lookup errors.

Thin: validation lives in validation.py (via LookupForm), fetching in services.lookup.
"""
import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from ..cams.errors import CamsError
from ..forms.lookup import LookupForm
from ..selectors.applications import application_get, application_list_recent
from ..services.lookup import SOURCE_STALE, application_lookup
from .presenters import detail_context, refresh_schedule, timeline
from .review_presenters import review_context

RECENT_LIMIT = 10
FALLBACK_SAMPLES = ["5435435435"]
# After /lookup/ or a refresh has just called CAMS, the redirected GET shows that outcome
# instead of calling again: a failing CAMS would otherwise be hit twice per click.
_JUST_FETCHED = "applications:just-fetched"
_JUST_FETCHED_SECONDS = 30


def sample_request_numbers() -> list[str]:
    """Request numbers the simulator knows, offered as links; the sandbox module may be absent."""
    try:
        from ..sandbox.dataset import sample_request_numbers as samples
    except ImportError:
        return list(FALLBACK_SAMPLES)
    try:
        return list(samples()) or list(FALLBACK_SAMPLES)
    except Exception:  # a broken demo data set must not take the home page down
        return list(FALLBACK_SAMPLES)


def detail_url(request_no: str, cust_space_id: str = "") -> str:
    url = reverse("applications:detail", args=[request_no])
    return f"{url}?{urlencode({'cust_space_id': cust_space_id})}" if cust_space_id else url


def _home_context(form):
    return {
        "form": form,
        "cust_space_ids": settings.CAMS_CUST_SPACE_IDS,
        "samples": sample_request_numbers() if settings.CAMS_ENDPOINT_IS_SIMULATOR else [],
        "recent": application_list_recent(limit=RECENT_LIMIT),
    }


@require_GET
@login_required
def home(request):
    return render(request, "applications/home.html", _home_context(LookupForm()))


def _error_page(request, error: CamsError, *, request_no: str, cust_space_id: str = ""):
    form = LookupForm(initial={"request_no": request_no, "cust_space_id": cust_space_id})
    context = {"error": error, "request_no": request_no, "cust_space_id": cust_space_id, "form": form,
               "cust_space_ids": settings.CAMS_CUST_SPACE_IDS}
    response = render(request, "applications/lookup_error.html", context, status=error.http_status)
    if error.retry_after:
        response["Retry-After"] = str(max(1, round(error.retry_after)))
    return response


def _remember_fetch(request, result, *, request_no, cust_space_id):
    request.session[_JUST_FETCHED] = {
        "key": [request_no, cust_space_id], "at": time.time(), "source": result.source,
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
def lookup(request):
    form = LookupForm(request.GET)
    if not form.is_valid():
        return render(request, "applications/home.html", _home_context(form), status=400)
    request_no, cust_space_id = form.cleaned_data["request_no"], form.cleaned_data["cust_space_id"]
    try:
        result = application_lookup(request_no=request_no, cust_space_id=cust_space_id)
    except CamsError as error:
        return _error_page(request, error, request_no=request_no, cust_space_id=cust_space_id)
    _remember_fetch(request, result, request_no=request_no, cust_space_id=cust_space_id)
    return redirect(detail_url(request_no, cust_space_id))


def _validated_key(request, request_no):
    """(request_no, cust_space_id, None), or (.., .., a 400 page re-showing the form)."""
    form = LookupForm({"request_no": request_no, "cust_space_id": request.GET.get("cust_space_id", "")})
    if form.is_valid():
        return form.cleaned_data["request_no"], form.cleaned_data["cust_space_id"], None
    return request_no, "", render(request, "applications/home.html", _home_context(form), status=400)


@require_GET
@login_required
def detail(request, request_no):
    request_no, cust_space_id, invalid = _validated_key(request, request_no)
    if invalid:
        return invalid
    application, source, stale_error = None, None, None
    just_fetched = _take_fetch(request, request_no=request_no, cust_space_id=cust_space_id)
    if just_fetched:
        application = application_get(request_no=request_no, cust_space_id=cust_space_id)
        source, stale_error = just_fetched["source"], just_fetched["error"]
    if application is None:
        try:
            result = application_lookup(request_no=request_no, cust_space_id=cust_space_id)
        except CamsError as error:
            return _error_page(request, error, request_no=request_no, cust_space_id=cust_space_id)
        application, source = result.application, result.source
        stale_error = result.error.as_dict() if result.error else None
    context = {
        "application": application,
        "source": source,
        "stale_error": stale_error if source == SOURCE_STALE else None,
        "cust_space_id": cust_space_id,
        "snapshots": application.snapshots.all()[:50],
        "events": application.events.all()[:50],
        "schedule": refresh_schedule(application, timezone.now()),
        **detail_context(application),
        **review_context(request, application),
    }
    # Snapshots and change events, merged newest first (reuses the two lists above).
    context["timeline"] = timeline(context["snapshots"], context["events"])
    return render(request, "applications/detail.html", context)


@require_POST
@login_required
def refresh(request, request_no):
    request_no, cust_space_id, invalid = _validated_key(request, request_no)
    if invalid:
        return invalid
    try:
        result = application_lookup(request_no=request_no, cust_space_id=cust_space_id, force=True)
    except CamsError as error:
        return _error_page(request, error, request_no=request_no, cust_space_id=cust_space_id)
    _remember_fetch(request, result, request_no=request_no, cust_space_id=cust_space_id)
    if result.error:
        error = result.error
        messages.error(request, f"Refresh failed: {error.title}. {error.message} "
                                f"(code {error.code or '—'}, RequestId {error.request_id or '—'}). "
                                "Showing the stored copy.")
    else:
        messages.success(request, "Fetched a fresh copy from CAMS.")
    return redirect(detail_url(request_no, cust_space_id))
