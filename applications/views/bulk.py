"""Bulk lookup: paste request numbers, follow the background lookup's progress and results.

Thin: the work is services.bulk_lookup's; the pages only start it and read its progress.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from ..exports.csv import bulk_results_csv
from ..forms.bulk import BulkLookupForm
from ..selectors.bulk import bulk_lookup_get, bulk_lookup_items, bulk_lookup_list_recent
from ..services.bulk_lookup import bulk_item_detail, bulk_lookup_progress, bulk_lookup_start


def _can_bulk(user) -> bool:
    return user.has_perm("applications.add_bulklookup")


@require_http_methods(["GET", "POST"])
@login_required
def bulk_new(request):
    if not _can_bulk(request.user):
        raise PermissionDenied(_("Only reviewers can start a bulk lookup."))
    form = BulkLookupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        bulk = bulk_lookup_start(
            numbers=form.cleaned_data["numbers"],
            cust_space_id=form.cleaned_data["cust_space_id"],
            actor=request.user,
            invalid=form.invalid_entries,
        )
        return redirect("applications:bulk-detail", pk=bulk.pk)
    recent = bulk_lookup_list_recent(user=request.user, limit=10)
    return render(
        request, "applications/bulk_new.html", {"form": form, "recent": recent}, status=400 if form.errors else 200
    )


def _bulk_context(pk):
    bulk = bulk_lookup_get(pk=pk)
    if bulk is None:
        raise Http404(_("No such bulk lookup."))
    items = list(bulk_lookup_items(bulk=bulk))
    for item in items:
        item.detail = bulk_item_detail(item)
    return {"bulk": bulk, "progress": bulk_lookup_progress(bulk=bulk), "items": items}


@require_GET
@login_required
def bulk_detail(request, pk):
    return render(request, "applications/bulk_detail.html", _bulk_context(pk))


@require_GET
@login_required
def bulk_export(request, pk):
    """The results as CSV (formula-safe cells), one row per pasted entry."""
    context = _bulk_context(pk)
    return bulk_results_csv(bulk=context["bulk"], items=context["items"])


@require_GET
@login_required
def bulk_progress(request, pk):
    """The progress bar and results table alone, polled by the page while the lookup runs."""
    return render(request, "applications/_bulk_progress.html", _bulk_context(pk))
