"""Admin pages for notification rules and channels (admins manage them here as well as on the
Notifications pages). Channel secrets are never shown or edited here: webhook secrets are
generated and rotated on the channel page."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ..models import Channel, ChannelKind, Delivery, DeliveryAttempt, NotificationRule
from ..notifications import signing
from ..services.notifications.manage import channel_validate_target


class ChannelAdminForm(forms.ModelForm):
    """The same target check as the Notifications page: addresses, or a public https URL (SSRF)."""

    class Meta:
        model = Channel
        # Secrets are never edited here: a new webhook secret is generated on save and shown once.
        fields = ("name", "kind", "target", "owner", "enabled", "disabled_reason")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") and cleaned.get("target"):
            try:
                cleaned["target"] = channel_validate_target(kind=cleaned["kind"], target=cleaned["target"])
            except ValidationError as exc:
                self.add_error("target", exc)
        return cleaned


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
    form = ChannelAdminForm
    readonly_fields = ("failing_since", "slow_until", "created_at")
    list_select_related = ("owner",)
    inlines = [RuleInline]

    def save_model(self, request, obj, form, change):
        new_secret = ""
        if obj.kind == ChannelKind.WEBHOOK and not obj.secret:
            obj.secret = new_secret = signing.new_secret()
        if not change and obj.owner_id is None:
            obj.owner = request.user
        super().save_model(request, obj, form, change)
        if new_secret:
            messages.warning(request, _("Signing secret (shown only now): %(secret)s") % {"secret": new_secret})


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
    list_display = (
        "message_id",
        "event_type",
        "channel",
        "recipient",
        "status",
        "attempts",
        "next_attempt_at",
        "created_at",
    )
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
