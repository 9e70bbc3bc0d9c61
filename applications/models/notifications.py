"""Who hears about application changes, and the outbox that tells them.

- ``Watch`` and ``NotificationPreference``: a user follows an application (inbox, optionally e-mail);
- ``Channel`` and ``NotificationRule``: reviewers route matching changes to e-mail, webhooks or chat robots;
- ``Notification``: the in-app inbox, one row per user and change;
- ``Delivery`` and ``DeliveryAttempt``: the transactional outbox (written with the event that caused
  it) and the log of every attempt to deliver it.

Channel secrets are stored as given because signing needs them in clear (like any Standard
Webhooks sender); they are never rendered after creation and are excluded from the admin.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from .application import ApplicationEvent, ViberApplication


class Watch(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="watches")
    application = models.ForeignKey(ViberApplication, on_delete=models.CASCADE, related_name="watches")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "application"], name="uniq_watch_user_application")]

    def __str__(self):
        return f"{self.user} watches {self.application.request_no}"


class NotificationPreference(models.Model):
    """Per-user choice; a user without a row gets the defaults (inbox only)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    email_watched = models.BooleanField("E-mail me changes of applications I watch", default=False)

    def __str__(self):
        return f"{self.user}: e-mail {'on' if self.email_watched else 'off'}"


class ChannelKind(models.TextChoices):
    EMAIL = "email", "E-mail"
    WEBHOOK = "webhook", "Webhook (Standard Webhooks)"
    DINGTALK = "dingtalk", "DingTalk robot"
    FEISHU = "feishu", "Feishu / Lark bot"
    WECOM = "wecom", "WeCom group robot"
    SLACK = "slack", "Slack incoming webhook"


class Channel(models.Model):
    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=16, choices=ChannelKind.choices)
    # A URL for webhooks and robots; comma-separated addresses for e-mail.
    target = models.CharField(max_length=2000)
    secret = models.CharField(max_length=200, blank=True, default="")
    # After a rotation the old webhook secret still signs (as a second signature) until this time.
    previous_secret = models.CharField(max_length=200, blank=True, default="")
    previous_secret_expires_at = models.DateTimeField(null=True, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="notification_channels"
    )
    enabled = models.BooleanField(default=True)
    disabled_reason = models.CharField(max_length=300, blank=True, default="")
    failing_since = models.DateTimeField(null=True, blank=True)
    # Answered slower than NOTIFY_SLOW_SECONDS lately: its deliveries go to the slow queue until then.
    slow_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self):
        return f"{self.name} ({self.get_kind_display()})"

    def is_troubled(self, now) -> bool:
        """Failing or slow: its deliveries take the slow lane, away from healthy channels."""
        return bool(self.failing_since or (self.slow_until and self.slow_until > now))

    def signing_secrets(self, now=None) -> list[str]:
        now = now or timezone.now()
        secrets = [self.secret] if self.secret else []
        if self.previous_secret and self.previous_secret_expires_at and self.previous_secret_expires_at > now:
            secrets.append(self.previous_secret)
        return secrets


class NotificationRule(models.Model):
    class Field(models.TextChoices):
        STATE = "state", "State"
        AUDIT_RESULT = "audit_result", "Audit result"

    name = models.CharField(max_length=100)
    field = models.CharField(max_length=32, choices=Field.choices)
    # Codes the field must become; empty means any change of the field.
    values = models.JSONField(default=list, blank=True)
    cust_space_id = models.CharField("Customer space", max_length=64, blank=True, default="")
    request_type = models.CharField(max_length=64, blank=True, default="")
    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="rules")
    enabled = models.BooleanField(default=True)
    sla_digest = models.BooleanField("Also send the SLA digest to this channel", default=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="notification_rules"
    )
    last_fired_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self):
        return self.name


class Notification(models.Model):
    """One inbox row: a change of a watched application, or a message about a channel."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    application = models.ForeignKey(ViberApplication, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    event = models.ForeignKey(ApplicationEvent, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True, default="")
    url = models.CharField(max_length=500, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_user_unread_idx")]

    def __str__(self):
        return self.title


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    DELIVERING = "delivering", "Delivering"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Failed"


def new_message_id() -> str:
    return f"msg_{uuid.uuid4().hex}"


class Delivery(models.Model):
    """An outbox row: one message for one channel (or one watcher's e-mail).

    ``message_id`` is the Standard Webhooks ``webhook-id``: the same on every retry and redelivery,
    so receivers can drop duplicates.
    """

    message_id = models.CharField(max_length=64, unique=True, default=new_message_id)
    channel = models.ForeignKey(Channel, null=True, blank=True, on_delete=models.CASCADE, related_name="deliveries")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="A watcher's e-mail (no channel)",
    )
    event = models.ForeignKey(
        ApplicationEvent, null=True, blank=True, on_delete=models.CASCADE, related_name="deliveries"
    )
    event_type = models.CharField(max_length=64)
    payload = models.JSONField()
    status = models.CharField(max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    locked_until = models.DateTimeField(null=True, blank=True)
    current_attempt = models.UUIDField(null=True, blank=True)
    # Refused a slot because its channel had its maximum in flight; the next delivery of the
    # channel to finish hands its slot to the oldest such row.
    waiting_for_slot = models.BooleanField(default=False)
    last_status_code = models.PositiveIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # The sweeper's scan: due pending rows and expired leases.
            models.Index(fields=["status", "next_attempt_at"], name="delivery_due_idx"),
            models.Index(fields=["channel", "status"], name="delivery_channel_status_idx"),
        ]

    def __str__(self):
        return f"{self.event_type} {self.message_id}"


class DeliveryAttempt(models.Model):
    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attempt_log")
    attempt_id = models.UUIDField(unique=True, default=uuid.uuid4)
    number = models.PositiveIntegerField()
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    status_code = models.PositiveIntegerField(null=True, blank=True)
    latency_ms = models.PositiveIntegerField(null=True, blank=True)
    response_excerpt = models.TextField(blank=True, default="")
    error = models.CharField(max_length=500, blank=True, default="")
    ok = models.BooleanField(default=False)

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self):
        return f"attempt {self.number} of {self.delivery_id}"
