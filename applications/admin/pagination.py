"""A paginator that never counts a big table.

Django's changelist asks its paginator for ``count`` on every page view; the stock paginator runs
``SELECT COUNT(*)`` over the filtered rows, which at a million rows costs more than the page
itself. Here:

- unfiltered list on PostgreSQL: the planner's row estimate (``pg_class.reltuples``, kept up to
  date by autovacuum / ANALYZE), once the table is big enough for an estimate to be the point;
- filtered or searched list: the planner's estimate for the query (``EXPLAIN``, nothing run);
  when that is far beyond ``exact_up_to`` it is the answer (a broad term such as a country that
  matches a fifth of the table would otherwise scan thousands of rows just to count them);
  otherwise an exact count of at most ``exact_up_to + 1`` rows
  (``SELECT COUNT(*) FROM (... LIMIT n)``), and past that bound the estimate again.

So the number shown is exact for small results and "about" for large ones: fine for paging,
which is all the changelist uses it for.
"""

import json

from django.core.paginator import Paginator
from django.db import connections
from django.utils.functional import cached_property


def table_row_estimate(model, using="default") -> int | None:
    """``pg_class.reltuples`` for the model's table; None when unknown (never analysed, not PostgreSQL)."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE oid = to_regclass(%s)", [model._meta.db_table])
        row = cursor.fetchone()
    return row[0] if row and row[0] >= 0 else None


def query_row_estimate(queryset) -> int | None:
    """The planner's row estimate for ``queryset`` (PostgreSQL ``EXPLAIN``, nothing executed)."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    sql, params = queryset.order_by().query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


class EstimatedCountPaginator(Paginator):
    exact_up_to = 1000
    trust_estimate_over = 20_000  # planner estimates are rarely 20 times too high

    @cached_property
    def count(self):
        queryset = self.object_list
        if not queryset.query.where:
            estimate = table_row_estimate(queryset.model, queryset.db)
            if estimate is not None and estimate > self.exact_up_to:
                return estimate
            estimate = None
        else:
            estimate = query_row_estimate(queryset)
            if estimate is not None and estimate > self.trust_estimate_over:
                return estimate
        bounded = queryset.order_by()[: self.exact_up_to + 1].count()
        if bounded <= self.exact_up_to:
            return bounded
        return max(bounded, estimate or 0)
