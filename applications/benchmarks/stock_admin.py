"""The "stock" admin for ``bench_admin_search``: what a plain Django admin of this model does.

Same list columns and filters as the real admin, but Django's defaults for everything that
matters at scale: its own search (``^`` → ``UPPER(col) LIKE UPPER('x%')``, plain fields →
``icontains``), the stock ``Paginator`` (``COUNT(*)`` of the result) with
``show_full_result_count = True`` (a second ``COUNT(*)`` of the whole table on a search), and
``SELECT DISTINCT`` list filters. The benchmark also hides the search indexes of migration
0003 while it times this admin (dropped inside a transaction that is rolled back).

Served under ``/stock-admin/`` by the URLconf below, which the benchmark activates with
``override_settings(ROOT_URLCONF=...)``; it is not wired into the project's URLs.
"""

from django.contrib import admin
from django.core.paginator import Paginator
from django.urls import path

from ..admin.applications import ViberApplicationAdmin
from ..admin.filters import code_filter
from ..admin.search import CONTAINS_FIELDS, PREFIX_FIELDS
from ..models import ViberApplication

site = admin.AdminSite(name="stock_admin")


class StockApplicationAdmin(ViberApplicationAdmin):
    # The same columns as ours, searched the way Django does by default.
    search_fields = (
        *(f"^{name}" for name in PREFIX_FIELDS),
        *CONTAINS_FIELDS,
        "audit_record__MessageDestinationCountry",
        "audit_record__MessageDestinationInternationalCountry",
    )
    list_filter = (
        code_filter("State", "state", "state"),
        code_filter("AuditResult", "audit_result", "audit result"),
        code_filter("RequestType", "request_type", "request type"),
        "industry",
        "cust_space_id",
        "review_status",
        "assignee",
        "gmt_create",
        "audit_time",
        "fetched_at",
    )
    paginator = Paginator
    show_full_result_count = True

    def get_queryset(self, request):
        return admin.ModelAdmin.get_queryset(self, request)

    def get_search_results(self, request, queryset, search_term):
        return admin.ModelAdmin.get_search_results(self, request, queryset, search_term)


site.register(ViberApplication, StockApplicationAdmin)

urlpatterns = [path("stock-admin/", site.urls), path("admin/", admin.site.urls)]
