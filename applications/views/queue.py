"""The review queue page, its CSV/XLSX exports and its metrics fragment.

Thin: filtering and figures come from selectors.queue. Anyone signed in may read.
"""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from ..exports.csv import csv_response
from ..exports.xlsx import xlsx_response
from ..forms.queue import QueueFilterForm, sort_label
from ..queue_cache import COUNTS_SECONDS
from ..selectors.queue import (
    DEFAULT_SORT,
    PAGE_SIZE,
    QueuePage,
    queue_counts,
    queue_filter,
    queue_metrics,
    queue_order,
    queue_page,
    queue_sort,
)
from .queue_rows import queue_rows_html

METRIC_PERIODS = (7, 30, 90, 365)
EXPORT_MAX_ROWS = 100_000

# Table columns that sort when their header is clicked: (label, sort key or None).
QUEUE_COLUMNS = (
    (_("Request number"), "request_no"),
    (_("Company"), "company"),
    (_("Business account"), None),
    (_("Request type"), None),
    (_("State"), "state"),
    (_("Audit result"), "audit_result"),
    (_("Reason"), None),
    (_("Created"), "created"),
    (_("Audited"), "audited"),
    (_("In state for"), "in_state"),
    (_("Internal status"), "status"),
    (_("Assignee"), None),
)


def _query(params: dict, **changes) -> str:
    merged = {key: value for key, value in {**params, **changes}.items() if value not in (None, "")}
    return urlencode(merged)


def _int(value, default: int) -> int:
    try:
        return max(1, int(value))
    except (TypeError, ValueError):
        return default


def _list_params(get) -> dict:
    """The GET parameters that define the list (everything but the page) for links that keep them."""
    return {key: value for key, value in get.items() if key not in ("page", "counts") and value}


def _counts_context(params: dict, page, *, filtered: bool) -> dict:
    """What the counts, the summary line and the page links show: shared by the page and the
    counts fragment, so the numbers the fragment swaps in read as the page would have shown them."""
    # Absolute paths: the counts fragment may also be shown on the metrics page.
    queue_url = reverse("applications:queue") + "?"
    return {
        "page": page,
        "params": params,
        "filtered": filtered,
        "total_text": page.total if page.counted else "…",
        "pages_text": page.pages if page.counted else "…",
        "sort_label": sort_label(page.sort),
        "counts_seconds": COUNTS_SECONDS,
        "previous_url": queue_url + _query(params, page=page.number - 1),
        "next_url": queue_url + _query(params, page=page.number + 1),
        "last_url": queue_url + _query(params, page=page.pages),
        "first_url": queue_url + _query(params, page=1),
        "counts_url": reverse("applications:queue-metrics") + "?" + _query(params, page=page.number, counts=1),
        "state_links": [(code, info, n, queue_url + _query(params, state=code)) for code, info, n in page.state_counts],
        "audit_links": [
            (code, info, n, queue_url + _query(params, audit_result=code)) for code, info, n in page.audit_counts
        ],
    }


@require_GET
@login_required
def queue(request):
    if any(value == "" for value in request.GET.values()):
        # A filter form submitted without scripts sends every empty field: keep the URL to what is set.
        return redirect(f"{request.path}?{_query(request.GET.dict())}" if _query(request.GET.dict()) else request.path)
    form = QueueFilterForm(request.GET)
    filters = form.filters()
    sort = request.GET.get("sort") or DEFAULT_SORT
    # Counts that are not cached (a GROUP BY over every match: the page's slowest query at
    # 100,000 rows) are not waited for: the counts section loads them (queue_metrics_fragment).
    page = queue_page(
        filters=filters,
        user=request.user,
        sort=sort,
        page=_int(request.GET.get("page"), 1),
        wait_for_counts=False,
    )
    params = _list_params(request.GET)
    columns = []
    for label, key in QUEUE_COLUMNS:
        if key is None:
            columns.append({"label": label})
            continue
        current = page.sort.lstrip("-") == key
        descending = page.sort.startswith("-")
        next_sort = key if current and descending else f"-{key}"
        link_label = (
            gettext("%(column)s, sort ascending") if next_sort == key else gettext("%(column)s, sort descending")
        )
        columns.append(
            {
                "label": label,
                "url": "?" + _query(params, sort=next_sort),
                "aria_sort": ("descending" if descending else "ascending") if current else None,
                "link_label": link_label % {"column": label},
            }
        )
    context = {
        **_counts_context(params, page, filtered=bool(filters)),
        "form": form,
        "rows_html": queue_rows_html(page.rows),
        "columns": columns,
        "query": _query(params),
        "periods": METRIC_PERIODS,
    }
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
    """The metrics (lazily loaded by the queue page); with ``counts=1`` and the queue's own
    parameters, the counts of that filter set instead (htmx: the counts section, with the
    summary line and page links swapped out of band; without htmx: a page with both)."""
    if request.GET.get("counts"):
        return _queue_counts_answer(request)
    period = _int(request.GET.get("period"), 30)
    period = period if period in METRIC_PERIODS else 30
    template = "applications/_queue_metrics.html" if request.htmx else "applications/queue_metrics.html"
    return render(request, template, {"metrics": queue_metrics(period_days=period), "periods": METRIC_PERIODS})


def _queue_counts_answer(request):
    filters = QueueFilterForm(request.GET).filters()
    counts = queue_counts(filters=filters, user=request.user)
    page = QueuePage(
        rows=[],
        number=1,
        page_size=PAGE_SIZE,
        total=counts.total,
        sort=queue_sort(request.GET.get("sort")),
        state_counts=counts.state_counts,
        audit_counts=counts.audit_counts,
        counts_as_of=counts.as_of,
    )
    page.number = min(_int(request.GET.get("page"), 1), page.pages)
    context = _counts_context(_list_params(request.GET), page, filtered=bool(filters))
    if request.htmx:
        return render(request, "applications/_queue_counts_fragment.html", {**context, "has_rows": counts.total > 0})
    return render(
        request, "applications/queue_metrics.html", {**context, "metrics": queue_metrics(), "periods": METRIC_PERIODS}
    )
