"""The ViberApplication admin: read-only copies of CAMS data, searchable at a million rows.

What keeps it fast (see ``search``, ``filters``, ``pagination``, ``changelist`` and migration 0003):
index-friendly search lookups, filters whose choices never scan the table, no full ``COUNT(*)``
(``show_full_result_count = False`` plus an estimating paginator that reads a small result's ids
once instead of counting it and then searching again), and rows and sidebar filters written once
per page rather than a template and a lookup per cell.
"""

from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.admin.options import Action, ActionLocation
from django.db import connections
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..models import ReviewStatus, ViberApplication
from ..permissions import can_refresh, can_review
from . import actions, search
from .changelist import FastRowsChangeList, depends_on
from .display import bidi_marked, code_html, iso_datetime, tz_label
from .filters import AssigneeFilter, code_filter, distinct_values_filter, request_reviewers
from .history import EventInline, ReadOnlyMixin, ReviewLogInline, SnapshotInline
from .pagination import EstimatedCountPaginator
from .widgets import ActionForm

# The same name as the app's header, on every admin page (title, header, index).
admin.site.site_header = _("Viber Review admin")
admin.site.site_title = _("Viber Review admin")
admin.site.index_title = _("Stored applications, review and users")

MAX_ASSIGN_ACTIONS = 30
LIST_DEFERRED = ("audit_record", "document", "raw_response", "reason", "last_error_message")


class ReviewStatusFilter(admin.SimpleListFilter):
    title = _("internal review status")
    parameter_name = "review_status"

    def lookups(self, request, model_admin):
        return ReviewStatus.choices

    def queryset(self, request, queryset):
        return queryset.filter(review_status=self.value()) if self.value() else queryset


@admin.register(ViberApplication)
class ViberApplicationAdmin(ReadOnlyMixin, admin.ModelAdmin):
    # Nine compact columns fit a 1366 px screen: the company column shows the English name (or the
    # legal one), codes show their labels, times are ISO with the time zone.
    list_display = (
        "request_no",
        "company_display",
        "state_display",
        "audit_result_display",
        "request_type_display",
        "review_status",
        "assignee",
        "created_display",
        "fetched_display",
    )
    list_display_links = ("request_no",)
    # Every column the list's cells read (list_display, and __str__ for the checkbox's label); the
    # changelist loads only these (FastRowsChangeList). A cell reading another column would cost a
    # query per row: tests/test_admin_rows.py counts them.
    list_columns = (
        "request_no",
        "company_english_name",
        "company_legal_name",
        "state",
        "audit_result",
        "request_type",
        "review_status",
        "assignee",
        "assignee__username",
        "gmt_create",
        "fetched_at",
    )
    list_select_related = ("assignee",)
    search_fields = search.SEARCH_FIELDS
    search_help_text = search.HELP_TEXT
    list_filter = (
        code_filter("State", "state", _("state")),
        code_filter("AuditResult", "audit_result", _("audit result")),
        code_filter("RequestType", "request_type", _("request type")),
        distinct_values_filter("industry", _("industry")),
        distinct_values_filter("cust_space_id", _("customer space"), empty_label=_("(default space)")),
        ReviewStatusFilter,
        AssigneeFilter,
        # Preset ranges in the sidebar; any range works in the URL: ?gmt_create__gte=…&gmt_create__lt=…
        ("gmt_create", admin.DateFieldListFilter),
        ("audit_time", admin.DateFieldListFilter),
        ("fetched_at", admin.DateFieldListFilter),
    )
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    list_per_page = 50
    ordering = ("-gmt_create", "-id")
    readonly_fields = [field.name for field in ViberApplication._meta.fields]
    inlines = (ReviewLogInline, SnapshotInline, EventInline)
    actions = (actions.refresh_selected, actions.export_selected)
    action_form = ActionForm

    def has_refresh_permission(self, request):
        # The refresh action spends the shared CAMS quota: the same rule as the page's buttons.
        return can_refresh(request.user)

    @admin.display(description=mark_safe('<input type="checkbox" id="action-toggle">'))
    def action_checkbox(self, obj):
        # The stock checkbox renders a form widget through the template engine for every row, a
        # fifth of the list page's time; the same markup written directly, as one string (what
        # format_html would give: the label's message as translated, the application escaped).
        label = gettext("Select this object for an action - {}").format(escape(obj))
        return SafeString(
            f'<input type="checkbox" name="{helpers.ACTION_CHECKBOX_NAME}" value="{escape(obj.pk)}" '
            f'class="action-select" aria-label="{label}">'
        )

    def get_changelist(self, request, **kwargs):
        return FastRowsChangeList

    def view_on_site(self, obj):
        # "View on site" goes straight to the application's page (its customer space kept), not
        # through the admin's content-type redirect.
        return obj.get_absolute_url()

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        match = getattr(request, "resolver_match", None)
        if match and match.url_name and match.url_name.endswith("_changelist"):
            # The list shows none of the JSON columns: not reading them saves detoasting kilobytes per row.
            queryset = queryset.defer(*LIST_DEFERRED)
        return queryset

    def get_search_results(self, request, queryset, search_term):
        vendor = connections[queryset.db].vendor
        return search.search_applications(queryset, search_term, vendor=vendor), False

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        available = super().get_actions(request, action_location=action_location)
        # One "assign to …" action per reviewer: no intermediate page, and the review service
        # checks the permission again (and writes the review log) for each application.
        if available and action_location == ActionLocation.CHANGE_LIST and can_review(request.user):
            for assignee in [None, *request_reviewers(request)[:MAX_ASSIGN_ACTIONS]]:
                func, name, description = actions.assign_action(assignee)
                available[name] = Action(
                    func=func,
                    name=name,
                    description=description,
                    plural_description=description,
                    locations=[action_location],
                )
        return available

    @admin.display(description=_("State"), ordering="state")
    @depends_on("state")
    def state_display(self, obj):
        return code_html(obj.state_info)

    @admin.display(description=_("Audit result"), ordering="audit_result")
    @depends_on("audit_result")
    def audit_result_display(self, obj):
        return code_html(obj.audit_result_info)

    @admin.display(description=_("Request type"), ordering="request_type")
    @depends_on("request_type")
    def request_type_display(self, obj):
        return code_html(obj.request_type_info)

    @admin.display(description=_("Company"), ordering="company_english_name")
    def company_display(self, obj):
        return bidi_marked(obj.company_english_name or obj.company_legal_name or "—")

    @admin.display(description=tz_label(_("Created")), ordering="gmt_create")
    def created_display(self, obj):
        return iso_datetime(obj.gmt_create)

    @admin.display(description=tz_label(_("Fetched")), ordering="fetched_at")
    def fetched_display(self, obj):
        return iso_datetime(obj.fetched_at)
