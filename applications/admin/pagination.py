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

When the planner expects at most ``exact_up_to`` rows (a search for a name, an e-mail, a number),
counting and then reading the page would find the same rows twice (two bitmap scans over the
search indexes, the most expensive part of such a page). Instead the paginator reads the ids of
at most ``exact_up_to + 1`` matching rows in the list's order: their number is the count, and a
page is then read by primary key (``page`` here, and ``listed_rows`` for a list that fits on one
page, which the changelist reads unsliced).
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
    # Only the key: the same rows, without the joins and columns of the list (less to compile and plan).
    sql, params = queryset.order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


class EstimatedCountPaginator(Paginator):
    exact_up_to = 1000
    trust_estimate_over = 20_000  # planner estimates are rarely 20 times too high
    # The ids of the matching rows, in list order, when the count read them (see the module's docstring).
    matching_ids = None

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
            if estimate is not None and estimate <= self.exact_up_to and self._can_read_ids(queryset):
                self.matching_ids = list(queryset.values_list("pk", flat=True)[: self.exact_up_to + 1])
                bounded = len(self.matching_ids)
                return bounded if bounded <= self.exact_up_to else max(bounded, estimate)
        bounded = queryset.order_by()[: self.exact_up_to + 1].count()
        if bounded <= self.exact_up_to:
            return bounded
        return max(bounded, estimate or 0)

    @staticmethod
    def _can_read_ids(queryset) -> bool:
        # A DISTINCT query would need its ORDER BY columns selected; a queryset without a total
        # order could list the rows differently when they are read again by id.
        return not queryset.query.distinct and queryset.ordered

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        ids = self.matching_ids
        if ids is None or top > len(ids):
            return super().page(number)
        return self._get_page(self._by_ids(ids[bottom:top]), number, self)

    def listed_rows(self):
        """Every matching row (the changelist's single page, or "Show all"), or None when the ids were not read."""
        ids = self.matching_ids
        if ids is None or len(ids) > self.exact_up_to:
            return None
        return self._by_ids(ids)

    def _by_ids(self, ids):
        # The same queryset (columns, joins, order) narrowed to these rows: an index lookup by key.
        return self.object_list.filter(pk__in=ids)
