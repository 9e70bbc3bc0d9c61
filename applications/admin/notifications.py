"""Admin pages for notification rules and channels (admins manage them here as well as on the
Notifications pages). Channel secrets are never shown or edited here: webhook secrets are
generated and rotated on the channel page."""
from django.contrib import admin

from ..models import Channel, Delivery, DeliveryAttempt, NotificationRule


class RuleInline(admin.TabularInline):
    model = NotificationRule
    extra = 0
    fields = ("name", "field", "values", "cust_space_id", "request_type", "enabled", "sla_digest", "last_fired_at")
    readonly_fields = ("last_fired_at",)


@admin.register(Channel)
class ChannelAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "enabled", "failing_since", "owner", "created_at")
    list_filter = ("kind", "enabled")
    search_fields = ("^name",)
    exclude = ("secret", "previous_secret", "previous_secret_expires_at")
    readonly_fields = ("failing_since", "created_at")
    list_select_related = ("owner",)
    inlines = [RuleInline]


@admin.register(NotificationRule)
class NotificationRuleAdmin(admin.ModelAdmin):
    list_display = ("name", "field", "values", "cust_space_id", "request_type", "channel", "enabled", "last_fired_at")
    list_filter = ("field", "enabled", "sla_digest")
    search_fields = ("^name",)
    readonly_fields = ("last_fired_at", "created_at")
    list_select_related = ("channel",)


class AttemptInline(admin.TabularInline):
    model = DeliveryAttempt
    extra = 0
    can_delete = False
    fields = ("number", "attempt_id", "started_at", "status_code", "latency_ms", "error", "response_excerpt", "ok")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ("message_id", "event_type", "channel", "recipient", "status", "attempts", "next_attempt_at",
                    "created_at")
    list_filter = ("status", "event_type")
    search_fields = ("=message_id",)
    list_select_related = ("channel", "recipient")
    readonly_fields = [f.name for f in Delivery._meta.fields]
    inlines = [AttemptInline]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
