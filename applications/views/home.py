"""The home page: the lookup form, sample request numbers (``CAMS_SAMPLE_REQUEST_NOS``), the recently fetched.

Its context is also what a 400 re-shows when a request number does not validate (views.errors).
"""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.http import require_GET

from ..forms.lookup import LookupForm
from ..selectors.applications import application_list_recent

RECENT_LIMIT = 10


def home_context(form: LookupForm) -> dict:
    return {
        "form": form,
        "cust_space_ids": settings.CAMS_CUST_SPACE_IDS,
        "samples": settings.CAMS_SAMPLE_REQUEST_NOS,
        "recent": application_list_recent(limit=RECENT_LIMIT),
    }


@require_GET
@login_required
def home(request):
    return render(request, "applications/home.html", home_context(LookupForm()))


def favicon(request):
    """``/favicon.ico``, which browsers ask for on every page (the admin's too): the app's icon."""
    return redirect(static("favicon.svg"), permanent=True)
