"""The queue page's reads done the straightforward way: the in-run baseline of bench_queue.

The benchmark machine is shared and noisy, so absolute milliseconds drift between runs; the
ratio of the optimised selector to this one, timed alternately in the same run, does not. Same
filters and order (selectors_queue.queue_filter / queue_order), but as a stock Django list view
would read them: an exact COUNT, a GROUP BY counting ``id`` (heap visits) on every request, full
rows (every column, the JSON documents included) with LIMIT/OFFSET, and the assignee of each
row fetched on access (N+1).
"""

from django.db.models import Count

from applications.selectors.queue import PAGE_SIZE, queue_filter, queue_order


def naive_page(*, filters: dict, user=None, sort: str | None = None, page: int = 1) -> list:
    qs = queue_filter(filters=filters, user=user)
    total = qs.count()
    list(qs.order_by().values_list("state", "audit_result").annotate(n=Count("id")))
    pages = max(1, -(-total // PAGE_SIZE))
    number = max(1, min(page, pages))
    ordered, _ = queue_order(qs, sort)
    rows = list(ordered[(number - 1) * PAGE_SIZE : number * PAGE_SIZE])
    for row in rows:
        row.assignee  # noqa: B018 - the per-row query the table would make
    return rows
