"""List filters that stay cheap on a big table.

Django's ``AllValuesFieldListFilter`` and ``RelatedOnlyFieldListFilter`` run ``SELECT DISTINCT``
over the whole table on every changelist view. ``DistinctValuesFilter`` reads the distinct
values of an indexed column with a "loose index scan" on PostgreSQL (a recursive query that
jumps from one value to the next in the btree: one index probe per distinct value).
"""

from django.contrib import admin
from django.db import connections
from django.utils.translation import gettext_lazy as _

from .. import codes, role_cache
from ..permissions import reviewers
from ..queue_cache import cached

EMPTY = "-"  # an empty string cannot be a filter value in the URL (it means "no filter")
MAX_CHOICES = 200
# Every changelist view shows the sidebar; its choices come from the cache, so a page pays for
# its rows only. A new value shows up in the sidebar within this long (it filters at once by URL).
CHOICES_CACHE_SECONDS = 300


def distinct_values(queryset, column: str, limit: int = MAX_CHOICES) -> list[str]:
    """Distinct values of an indexed, non-null column of ``queryset.model`` (ascending)."""
    model = queryset.model
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return list(queryset.model._default_manager.order_by(column).values_list(column, flat=True).distinct()[:limit])
    table, col = connection.ops.quote_name(model._meta.db_table), connection.ops.quote_name(column)
    sql = f"""
        WITH RECURSIVE loose(value) AS (
            (SELECT {col} FROM {table} ORDER BY {col} LIMIT 1)
            UNION ALL
            SELECT (SELECT {col} FROM {table} WHERE {col} > loose.value ORDER BY {col} LIMIT 1)
            FROM loose WHERE loose.value IS NOT NULL
        )
        SELECT value FROM loose WHERE value IS NOT NULL LIMIT %s
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [limit])
        return [row[0] for row in cursor.fetchall()]


def cached_distinct_values(queryset, column: str) -> list[str]:
    """``distinct_values``, computed at most once per CHOICES_CACHE_SECONDS for all processes."""
    key = f"admin-choices:{queryset.model._meta.label_lower}:{column}"
    return cached(key, lambda: distinct_values(queryset, column), CHOICES_CACHE_SECONDS)


NONE_LABEL = _("(none)")


def distinct_values_filter(field: str, title, empty_label=NONE_LABEL):
    class DistinctValuesFilter(admin.SimpleListFilter):
        parameter_name = field

        def lookups(self, request, model_admin):
            values = cached_distinct_values(model_admin.get_queryset(request), field)
            return [(value or EMPTY, value or empty_label) for value in values]

        def queryset(self, request, queryset):
            value = self.value()
            if value is None:
                return queryset
            return queryset.filter(**{field: "" if value == EMPTY else value})

    DistinctValuesFilter.title = title
    DistinctValuesFilter.__name__ = f"{field.title().replace('_', '')}Filter"
    return DistinctValuesFilter


def code_filter(kind, field, title):
    """A list filter offering the codes of settings.CAMS_CODE_TABLE with their labels."""

    class CodeFilter(admin.SimpleListFilter):
        parameter_name = field

        def lookups(self, request, model_admin):
            return [(code, f"{label} ({code})") for code, label in codes.choices(kind)]

        def queryset(self, request, queryset):
            return queryset.filter(**{field: self.value()}) if self.value() else queryset

    CodeFilter.title = title
    CodeFilter.__name__ = f"{kind}Filter"
    return CodeFilter


def request_reviewers(request, limit=MAX_CHOICES) -> list[tuple[int, str]]:
    """``(pk, user name)`` of the reviewers: from the role cache (reset when a user, group or grant
    changes), read once per request (the changelist asks for them several times)."""
    if not hasattr(request, "_admin_reviewers"):
        request._admin_reviewers = role_cache.cached(
            "admin-reviewers", lambda: [(user.pk, user.get_username()) for user in reviewers()[:MAX_CHOICES]]
        )
    return request._admin_reviewers[:limit]


class AssigneeFilter(admin.SimpleListFilter):
    """Unassigned, mine, or one reviewer's: choices come from the (small) user table, not the applications."""

    title = _("assignee")
    parameter_name = "assignee"

    def lookups(self, request, model_admin):
        choices = [("none", _("Unassigned")), ("me", _("Assigned to me"))]
        return choices + [(str(pk), username) for pk, username in request_reviewers(request)]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "none":
            return queryset.filter(assignee__isnull=True)
        if value == "me":
            return queryset.filter(assignee=request.user.pk)
        if value and value.isdigit():
            return queryset.filter(assignee=int(value))
        return queryset
