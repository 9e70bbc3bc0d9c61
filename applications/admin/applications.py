"""Admin over the stored copies: read-only, because CAMS owns the data and a local edit would
be overwritten by the next fetch (and would lie to reviewers until then)."""
from django.contrib import admin

from . import codes
from .models import ApplicationEvent, ApplicationSnapshot, ViberApplication


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        # View-only: the change form renders every field as text and has no Save buttons.
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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


class SnapshotInline(ReadOnlyMixin, admin.TabularInline):
    model = ApplicationSnapshot
    fields = ("seen_at", "state", "audit_result", "request_id", "content_hash")
    readonly_fields = fields
    show_change_link = True  # the snapshot page shows its full document
    extra = 0
    max_num = 0


class EventInline(ReadOnlyMixin, admin.TabularInline):
    model = ApplicationEvent
    fields = ("seen_at", "field", "old_value", "new_value")
    readonly_fields = fields
    extra = 0
    max_num = 0


@admin.register(ViberApplication)
class ViberApplicationAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("request_no", "company_legal_name", "company_english_name", "business_account_name",
                    "state_display", "audit_result_display", "request_type", "industry", "gmt_create", "fetched_at")
    list_display_links = ("request_no",)
    # "^" is a prefix match (so an exact number matches too) and can use the column's index.
    search_fields = ("^request_no", "company_legal_name", "company_english_name", "business_account_name",
                     "^business_license_number", "contact_email", "contact_phone")
    search_help_text = ("Request number or licence number (prefix), company or business account name, "
                        "contact email or phone.")
    list_filter = (code_filter("State", "state", "state"), code_filter("AuditResult", "audit_result", "audit result"),
                   code_filter("RequestType", "request_type", "request type"), "industry")
    # Counting every row on each search is the slow part of a big changelist.
    show_full_result_count = False
    list_per_page = 50
    ordering = ("-gmt_create", "-id")
    readonly_fields = [field.name for field in ViberApplication._meta.fields]
    inlines = (SnapshotInline, EventInline)

    @admin.display(description="State", ordering="state")
    def state_display(self, obj):
        return f"{obj.state_info.label} ({obj.state})" if obj.state_info.known else obj.state or "—"

    @admin.display(description="Audit result", ordering="audit_result")
    def audit_result_display(self, obj):
        info = obj.audit_result_info
        return f"{info.label} ({obj.audit_result})" if info.known else obj.audit_result or "—"


@admin.register(ApplicationSnapshot)
class ApplicationSnapshotAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("application", "seen_at", "state", "audit_result", "request_id")
    list_select_related = ("application",)
    list_filter = ("state", "audit_result")
    search_fields = ("^application__request_no", "=request_id")
    show_full_result_count = False
    readonly_fields = [field.name for field in ApplicationSnapshot._meta.fields]
