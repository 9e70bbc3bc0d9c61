"""Read-only admin pieces: snapshots, state-change events and the review log."""

from django.contrib import admin
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..models import ApplicationEvent, ApplicationSnapshot, ReviewLogEntry
from .pagination import EstimatedCountPaginator
from .search import search_terms


class ReadOnlyMixin:
    """CAMS owns the data and our review log is append-only: the admin never writes."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        # View-only: the change form renders every field as text and has no Save buttons.
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(ReadOnlyMixin, admin.TabularInline):
    extra = 0
    max_num = 0
    can_delete = False


class SnapshotInline(ReadOnlyInline):
    model = ApplicationSnapshot
    fields = ("seen_at", "state", "audit_result", "request_id", "content_hash")
    readonly_fields = fields
    show_change_link = True  # the snapshot page shows its full document


class EventInline(ReadOnlyInline):
    model = ApplicationEvent
    fields = ("seen_at", "field", "old_value", "new_value")
    readonly_fields = fields


class ReviewLogInline(ReadOnlyInline):
    model = ReviewLogEntry
    fields = ("at", "actor_name", "action", "before", "after", "note")
    readonly_fields = fields
    verbose_name_plural = _("review log")


@admin.register(ApplicationSnapshot)
class ApplicationSnapshotAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("application", "seen_at", "state", "audit_result", "request_id")
    list_select_related = ("application",)
    list_filter = ("state", "audit_result")
    search_fields = ("^application__request_no", "=request_id")
    search_help_text = _("Request number (exact or its start) or the RequestId of the fetch.")
    show_full_result_count = False
    paginator = EstimatedCountPaginator

    def get_search_results(self, request, queryset, search_term):
        # Case-sensitive prefix and equality: served by the request number's pattern-ops index and
        # a plain comparison, where Django's "^" would build an unindexable UPPER(...) LIKE.
        for term in search_terms(search_term):
            queryset = queryset.filter(Q(application__request_no__startswith=term) | Q(request_id=term))
        return queryset, False

    readonly_fields = [field.name for field in ApplicationSnapshot._meta.fields]
