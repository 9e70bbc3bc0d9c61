"""Bulk lookup: paste request numbers, follow the background lookup's progress and results.

Thin: the work is services.bulk_lookup's; the pages only start it and read its progress.
"""
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from ..forms.bulk import BulkLookupForm
from ..models import BulkLookup
from ..services.bulk_lookup import bulk_lookup_progress, bulk_lookup_start


def _can_bulk(user) -> bool:
    return user.has_perm("applications.add_bulklookup")


@require_http_methods(["GET", "POST"])
@login_required
def bulk_new(request):
    if not _can_bulk(request.user):
        raise PermissionDenied("Only reviewers can start a bulk lookup")
    form = BulkLookupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        bulk = bulk_lookup_start(numbers=form.cleaned_data["numbers"], cust_space_id=form.cleaned_data["cust_space_id"],
                                 actor=request.user)
        return redirect("applications:bulk-detail", pk=bulk.pk)
    recent = BulkLookup.objects.filter(created_by=request.user)[:10]
    return render(request, "applications/bulk_new.html", {"form": form, "recent": recent},
                  status=400 if form.errors else 200)


def _bulk_context(bulk):
    items = list(bulk.items.select_related("application").only(
        "id", "position", "request_no", "outcome", "error_code", "error_message", "finished_at",
        "application__id", "application__request_no", "application__cust_space_id",
        "application__company_english_name", "application__company_legal_name", "application__state",
        "application__audit_result"))
    return {"bulk": bulk, "progress": bulk_lookup_progress(bulk=bulk), "items": items}


@require_GET
@login_required
def bulk_detail(request, pk):
    bulk = get_object_or_404(BulkLookup, pk=pk)
    return render(request, "applications/bulk_detail.html", _bulk_context(bulk))


@require_GET
@login_required
def bulk_progress(request, pk):
    """The progress bar and results table alone, polled by the page while the lookup runs."""
    bulk = get_object_or_404(BulkLookup, pk=pk)
    return render(request, "applications/_bulk_progress.html", _bulk_context(bulk))
