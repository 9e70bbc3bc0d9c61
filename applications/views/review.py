"""Review pages: the queue (with CSV export and metrics), review actions, bulk lookup.

Thin: filtering and figures come from selectors_queue, writes from services.review and
services.bulk_lookup. Anyone signed in reads; changes need the reviewers' permission and a
viewer's POST answers 403 whatever the form says.
"""
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ..exports import csv_response
from ..exports_xlsx import xlsx_response
from ..forms_review import SORT_LABELS, AssignForm, BulkLookupForm, NoteForm, QueueFilterForm, StatusForm
from ..models import BulkLookup, ViberApplication
from ..queue_cache import COUNTS_SECONDS
from ..selectors_queue import DEFAULT_SORT, queue_filter, queue_metrics, queue_order, queue_page
from ..services import review as review_services
from ..services.bulk_lookup import bulk_lookup_progress, bulk_lookup_start
from .pages import detail_url

METRIC_PERIODS = (7, 30, 90, 365)
EXPORT_MAX_ROWS = 100_000

# Table columns that sort when their header is clicked: (label, sort key or None).
QUEUE_COLUMNS = (
    ("Request number", "request_no"), ("Company", "company"), ("Business account", None),
    ("Request type", None), ("State", "state"), ("Audit result", "audit_result"), ("Reason", None),
    ("Created", "created"), ("Audited", "audited"), ("In state for", "in_state"), ("Internal status", "status"),
    ("Assignee", None),
)


def _query(params: dict, **changes) -> str:
    merged = {key: value for key, value in {**params, **changes}.items() if value not in (None, "")}
    return urlencode(merged)


def _int(value, default: int) -> int:
    try:
        return max(1, int(value))
    except (TypeError, ValueError):
        return default


@require_GET
@login_required
def queue(request):
    form = QueueFilterForm(request.GET)
    filters = form.filters()
    sort = request.GET.get("sort") or DEFAULT_SORT
    page = queue_page(filters=filters, user=request.user, sort=sort, page=_int(request.GET.get("page"), 1))
    # The GET parameters that define the list (everything but the page) for links that keep them.
    params = {key: value for key, value in request.GET.items() if key != "page" and value}
    columns = []
    for label, key in QUEUE_COLUMNS:
        if key is None:
            columns.append({"label": label})
            continue
        current = page.sort.lstrip("-") == key
        descending = page.sort.startswith("-")
        next_sort = key if current and descending else f"-{key}"
        columns.append({
            "label": label, "url": "?" + _query(params, sort=next_sort),
            "aria_sort": ("descending" if descending else "ascending") if current else None,
            "next": "ascending" if next_sort == key else "descending",
        })
    context = {
        "form": form, "page": page, "columns": columns, "params": params,
        "filtered": bool(filters), "sort_label": SORT_LABELS.get(page.sort.lstrip("-"), ""),
        "query": _query(params), "previous_url": "?" + _query(params, page=page.number - 1),
        "next_url": "?" + _query(params, page=page.number + 1), "last_url": "?" + _query(params, page=page.pages),
        "first_url": "?" + _query(params, page=1),
        "state_link": lambda code: "?" + _query(params, state=code),
        "periods": METRIC_PERIODS, "counts_seconds": COUNTS_SECONDS,
    }
    context["state_links"] = [(code, info, n, "?" + _query(params, state=code)) for code, info, n in page.state_counts]
    context["audit_links"] = [(code, info, n, "?" + _query(params, audit_result=code))
                              for code, info, n in page.audit_counts]
    return render(request, "applications/queue.html", context)


def _export_queryset(request):
    """The queue's rows as filtered and sorted on the page (all pages, up to EXPORT_MAX_ROWS)."""
    form = QueueFilterForm(request.GET)
    qs, _ = queue_order(queue_filter(filters=form.filters(), user=request.user), request.GET.get("sort"))
    return qs[:EXPORT_MAX_ROWS]


@require_GET
@login_required
def queue_export(request):
    return csv_response(_export_queryset(request))


@require_GET
@login_required
def queue_export_xlsx(request):
    return xlsx_response(_export_queryset(request))


@require_GET
@login_required
def queue_metrics_fragment(request):
    period = _int(request.GET.get("period"), 30)
    period = period if period in METRIC_PERIODS else 30
    template = "applications/_queue_metrics.html" if request.htmx else "applications/queue_metrics.html"
    return render(request, template, {"metrics": queue_metrics(period_days=period), "periods": METRIC_PERIODS})


def _reviewed_application(request, pk) -> ViberApplication:
    if not review_services.can_review(request.user):
        raise PermissionDenied("Only reviewers can change an application's review")
    return get_object_or_404(ViberApplication, pk=pk)


def _back(application):
    return redirect(detail_url(application.request_no, application.cust_space_id) + "#review")


def _report(request, form, error: ValidationError | None = None):
    problems = [message for messages_ in form.errors.values() for message in messages_] if form.errors else []
    if error is not None:
        problems += error.messages
    messages.error(request, "Nothing changed: " + " ".join(problems))


def _review_action(request, pk, form_class, act):
    """Validate the POSTed form, run ``act(application, cleaned_data)`` and go back to the page.

    ``act`` calls a review service and returns (level, message) for the user, or None to say
    nothing; a ValidationError from the service is reported as "Nothing changed".
    """
    application = _reviewed_application(request, pk)
    form = form_class(request.POST)
    if not form.is_valid():
        _report(request, form)
        return _back(application)
    try:
        outcome = act(application, form.cleaned_data)
    except ValidationError as error:
        _report(request, form, error)
        return _back(application)
    if outcome:
        level, text = outcome
        messages.add_message(request, level, text)
    return _back(application)


@require_POST
@login_required
def review_status(request, pk):
    def act(application, data):
        entry = review_services.review_set_status(application=application, status=data["status"],
                                                  actor=request.user, note=data["note"])
        if entry:
            return messages.SUCCESS, f"Internal status set to {application.get_review_status_display()}."
        return messages.INFO, "The internal status was already that."

    return _review_action(request, pk, StatusForm, act)


@require_POST
@login_required
def review_assign(request, pk):
    def act(application, data):
        assignee = get_object_or_404(get_user_model(), pk=data["assignee"]) if data["assignee"] else None
        if review_services.review_assign(application=application, assignee=assignee, actor=request.user):
            return messages.SUCCESS, f"Assigned to {assignee.get_username()}." if assignee else "Unassigned."
        return None

    return _review_action(request, pk, AssignForm, act)


@require_POST
@login_required
def review_note(request, pk):
    def act(application, data):
        review_services.review_add_note(application=application, actor=request.user, note=data["note"])
        return messages.SUCCESS, "Note added."

    return _review_action(request, pk, NoteForm, act)


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
