"""The home page: the lookup form, sample request numbers (against the simulator), the recently fetched.

Its context is also what a 400 re-shows when a request number does not validate (views.errors).
"""
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ..forms.lookup import LookupForm
from ..selectors.applications import application_list_recent

RECENT_LIMIT = 10
FALLBACK_SAMPLES = ["5435435435"]


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


def home_context(form: LookupForm) -> dict:
    return {
        "form": form,
        "cust_space_ids": settings.CAMS_CUST_SPACE_IDS,
        "samples": sample_request_numbers() if settings.CAMS_ENDPOINT_IS_SIMULATOR else [],
        "recent": application_list_recent(limit=RECENT_LIMIT),
    }


@require_GET
@login_required
def home(request):
    return render(request, "applications/home.html", home_context(LookupForm()))
