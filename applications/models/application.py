"""Stored copies of CAMS Viber applications, their content history and state changes.

CAMS owns the data: these rows are a cache plus history. ``ViberApplication`` holds the latest
good copy with indexed columns for what people search and filter on; the whole audit record
and the raw response stay as JSON so nothing upstream sends is lost.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.db import models
from django.urls import reverse

from .. import codes
from ..state_time import StateSince
from .review import ReviewStatus


def application_url(view: str, request_no: str, cust_space_id: str = "") -> str:
    """The address of one of an application's views ("detail", "refresh", "api-detail" ...).

    An application is named by its request number within a customer space: the number goes in the
    path and a space other than the default one in ``?cust_space_id=``, which every such view reads.
    """
    url = reverse(f"applications:{view}", args=[request_no])
    return f"{url}?{urlencode({'cust_space_id': cust_space_id})}" if cust_space_id else url


class ViberApplication(models.Model):
    cust_space_id = models.CharField(max_length=64, blank=True, default="", db_index=True)
    request_no = models.CharField(max_length=64, db_index=True)

    upstream_id = models.CharField(max_length=64, blank=True, default="")
    state = models.CharField(max_length=32, blank=True, default="", db_index=True)
    audit_result = models.CharField(max_length=32, blank=True, default="", db_index=True)
    request_type = models.CharField(max_length=64, blank=True, default="", db_index=True)
    reason = models.TextField(blank=True, default="")
    company_legal_name = models.CharField(max_length=512, blank=True, default="", db_index=True)
    company_english_name = models.CharField(max_length=512, blank=True, default="", db_index=True)
    business_account_name = models.CharField(max_length=512, blank=True, default="", db_index=True)
    business_license_number = models.CharField(max_length=128, blank=True, default="", db_index=True)
    industry = models.CharField(max_length=128, blank=True, default="", db_index=True)
    contact_name = models.CharField(max_length=256, blank=True, default="")
    contact_email = models.CharField(max_length=320, blank=True, default="", db_index=True)
    contact_phone = models.CharField(max_length=64, blank=True, default="", db_index=True)
    maap_service_no = models.CharField(max_length=64, blank=True, default="")
    gmt_create = models.DateTimeField(null=True, blank=True, db_index=True)
    audit_time = models.DateTimeField(null=True, blank=True, db_index=True)
    gmt_modified = models.DateTimeField(null=True, blank=True, db_index=True)

    audit_record = models.JSONField(default=dict, blank=True)
    document = models.JSONField(default=dict, blank=True, help_text="Normalised view of Data")
    raw_response = models.JSONField(default=dict, blank=True, help_text="Response body as received")
    content_hash = models.CharField(max_length=64, blank=True, default="")
    # The ISO codes of every destination (local and international), derived from ``document``:
    # the country filter's condition. A small column of its own, so PostgreSQL's GIN recheck
    # reads it instead of de-TOASTing the large document of every candidate row.
    destination_isos = models.JSONField(default=list, blank=True)

    fetched_at = models.DateTimeField(null=True, blank=True, db_index=True)
    last_request_id = models.CharField(max_length=128, blank=True, default="")
    last_error_kind = models.CharField(max_length=32, blank=True, default="")
    last_error_code = models.CharField(max_length=128, blank=True, default="")
    last_error_message = models.TextField(blank=True, default="")
    last_error_request_id = models.CharField(max_length=128, blank=True, default="")
    last_error_at = models.DateTimeField(null=True, blank=True)

    state_changed_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # When the current State/AuditResult started, as far as CAMS and our fetches tell (state_time.py);
    # the queue's "time in state" column and sort both read it.
    state_since = models.DateTimeField(null=True, blank=True, db_index=True)
    state_since_basis = models.CharField(max_length=16, blank=True, default="")
    # Internal review (ours, never sent by CAMS); the trail is in models.review.ReviewLogEntry.
    review_status = models.CharField(
        max_length=32, choices=ReviewStatus.choices, default=ReviewStatus.NEW, db_index=True
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="assigned_applications"
    )
    review_updated_at = models.DateTimeField(null=True, blank=True)
    next_refresh_at = models.DateTimeField(null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-gmt_create", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["cust_space_id", "request_no"], name="uniq_application_space_request_no"),
        ]
        permissions = [("refresh_application", "Can force a refresh from CAMS")]
        indexes = [
            models.Index(fields=["state", "audit_result"], name="app_state_audit_idx"),
            # Review queue: default sort with its tie-breaker, and the common "my open work" filter.
            models.Index(fields=["gmt_create", "id"], name="app_created_id_idx"),
            models.Index(fields=["review_status", "gmt_create"], name="app_review_created_idx"),
            # Queue filtered by state (and audit result) in the default order: the page's ids and
            # the per-state/audit counts come from this index alone (index-only scans, no heap).
            models.Index(fields=["state", "audit_result", "gmt_create", "id"], name="app_queue_state_created_idx"),
            # Queue filtered by request type, sorted by audit time (newest audits of one kind).
            models.Index(fields=["request_type", "audit_time", "id"], name="app_queue_type_audited_idx"),
            # Queue metrics: creation-to-audit times over a period, an index-only scan of this.
            models.Index(fields=["audit_time", "gmt_create"], name="app_queue_audited_created_idx"),
        ]

    def __str__(self):
        name = self.company_english_name or self.company_legal_name or "?"
        return f"{self.request_no} ({name})"

    def get_absolute_url(self):
        return application_url("detail", self.request_no, self.cust_space_id)

    @property
    def state_info(self):
        return codes.describe("State", self.state)

    @property
    def audit_result_info(self):
        return codes.describe("AuditResult", self.audit_result)

    @property
    def request_type_info(self):
        return codes.describe("RequestType", self.request_type)

    @property
    def state_since_info(self) -> StateSince:
        return StateSince(self.state_since, self.state_since_basis)

    @property
    def is_final(self):
        return codes.is_final(self.state, self.audit_result)

    @property
    def has_error(self):
        return bool(self.last_error_at) and (self.fetched_at is None or self.last_error_at > self.fetched_at)


class ApplicationSnapshot(models.Model):
    """One row per distinct content seen upstream (written only when the hash changes)."""

    application = models.ForeignKey(ViberApplication, on_delete=models.CASCADE, related_name="snapshots")
    content_hash = models.CharField(max_length=64)
    state = models.CharField(max_length=32, blank=True, default="")
    audit_result = models.CharField(max_length=32, blank=True, default="")
    document = models.JSONField(default=dict)
    raw_data = models.JSONField(default=dict)
    request_id = models.CharField(max_length=128, blank=True, default="")
    seen_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-seen_at", "-id"]

    def __str__(self):
        return f"{self.application.request_no} @ {self.seen_at:%Y-%m-%d %H:%M:%S}"


class ApplicationEvent(models.Model):
    """A change of State or AuditResult noticed on a fetch."""

    FIELD_CHOICES = [("state", "State"), ("audit_result", "Audit result")]

    application = models.ForeignKey(ViberApplication, on_delete=models.CASCADE, related_name="events")
    field = models.CharField(max_length=32, choices=FIELD_CHOICES)
    old_value = models.CharField(max_length=64, blank=True, default="")
    new_value = models.CharField(max_length=64, blank=True, default="")
    seen_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-seen_at", "-id"]

    def __str__(self):
        return f"{self.application.request_no} {self.field}: {self.old_value or '∅'} → {self.new_value}"
