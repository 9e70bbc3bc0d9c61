"""Reviewer- and user-facing writes: channels, rules, watches, preferences, the inbox, test and redeliver."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from ...models import (
    Channel,
    ChannelKind,
    Delivery,
    DeliveryStatus,
    Notification,
    NotificationPreference,
    NotificationRule,
    Watch,
)
from ...notifications import signing
from ...notifications.events import test_payload
from ...notifications.ssrf import UnsafeTarget, resolve_target
from ...permissions import can_manage_notifications
from .delivery import Outcome, delivery_deliver
from .fanout import absolute_url, enqueue_on_commit
from .transports import email_recipients
from .viewer_cache import forget_unread_counts, forget_watched_ids

ROTATION_GRACE = timedelta(hours=24)
SECRET_KINDS = {ChannelKind.DINGTALK, ChannelKind.FEISHU}  # the robot's own signing secret, if set


def _require_manager(user):
    if not can_manage_notifications(user):
        raise PermissionDenied(gettext("Only reviewers and admins manage notification rules and channels."))


def channel_validate_target(*, kind: str, target: str) -> str:
    """The cleaned target, or ValidationError with a message safe to show."""
    target = target.strip()
    if kind == ChannelKind.EMAIL:
        addresses = email_recipients(target)
        if not addresses:
            raise ValidationError(gettext("Enter at least one e-mail address."))
        for address in addresses:
            validate_email(address)
        return ", ".join(addresses)
    try:
        resolve_target(target, allow_private=settings.NOTIFY_ALLOW_PRIVATE_TARGETS)
    except UnsafeTarget as exc:
        raise ValidationError(gettext("This URL is not allowed: %(reason)s.") % {"reason": exc}) from None
    return target


def channel_create(*, user, name: str, kind: str, target: str, secret: str = "") -> tuple[Channel, str]:
    """Create a channel (DB write; resolves the URL's host). Returns it and, for webhooks, the
    generated ``whsec_`` secret: the only time it is shown."""
    _require_manager(user)
    target = channel_validate_target(kind=kind, target=target)
    shown = ""
    if kind == ChannelKind.WEBHOOK:
        secret = shown = signing.new_secret()
    elif kind not in SECRET_KINDS:
        secret = ""
    channel = Channel.objects.create(
        name=name.strip()[:100], kind=kind, target=target, secret=secret.strip(), owner=user
    )
    return channel, shown


def channel_update(*, user, channel: Channel, name: str, target: str) -> Channel:
    _require_manager(user)
    channel.target = channel_validate_target(kind=channel.kind, target=target)
    channel.name = name.strip()[:100]
    channel.save(update_fields=["name", "target"])
    return channel


def channel_rotate_secret(*, user, channel: Channel) -> str:
    """New webhook secret; the old one keeps signing (a second signature) for 24 h. Returns the new one."""
    _require_manager(user)
    if channel.kind != ChannelKind.WEBHOOK:
        raise ValidationError(gettext("Only webhook channels have a rotating secret."))
    new = signing.new_secret()
    channel.previous_secret, channel.secret = channel.secret, new
    channel.previous_secret_expires_at = timezone.now() + ROTATION_GRACE
    channel.save(update_fields=["secret", "previous_secret", "previous_secret_expires_at"])
    return new


def channel_set_enabled(*, user, channel: Channel, enabled: bool) -> None:
    _require_manager(user)
    Channel.objects.filter(pk=channel.pk).update(enabled=enabled, failing_since=None, disabled_reason="")


def channel_send_test(*, user, channel: Channel) -> Delivery:
    """Send a ``notification.test`` now, in this request (network call), without retries.

    Returns the delivery; its attempt log holds the response.
    """
    _require_manager(user)
    payload = test_payload(channel_name=channel.name, at=timezone.now(), url=absolute_url("/notifications/"))
    delivery = Delivery.objects.create(channel=channel, event_type=payload["type"], payload=payload)
    if not channel.enabled:
        Delivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.FAILED, last_error="channel disabled")
    else:
        delivery_deliver(delivery_id=delivery.pk, retry=False)
    delivery.refresh_from_db()
    return delivery


def delivery_redeliver(*, user, delivery: Delivery) -> None:
    """Queue a delivered or failed message again (same webhook-id, a fresh retry budget)."""
    _require_manager(user)
    with transaction.atomic():
        updated = (
            Delivery.objects.filter(pk=delivery.pk)
            .exclude(status=DeliveryStatus.DELIVERING)
            .update(status=DeliveryStatus.PENDING, attempts=0, next_attempt_at=timezone.now(), locked_until=None)
        )
        if updated:
            enqueue_on_commit([delivery.pk])
    if not updated:
        raise ValidationError(gettext("This delivery is being attempted right now."))


def rule_save(*, user, rule: NotificationRule | None = None, **fields) -> NotificationRule:
    _require_manager(user)
    rule = rule or NotificationRule(owner=user)
    for name, value in fields.items():
        setattr(rule, name, value)
    rule.save()
    return rule


def rule_delete(*, user, rule: NotificationRule) -> None:
    _require_manager(user)
    rule.delete()


def watch_set(*, user, application, watching: bool) -> bool:
    if watching:
        Watch.objects.get_or_create(user=user, application=application)
    else:
        Watch.objects.filter(user=user, application=application).delete()
    forget_watched_ids(user.pk)
    return watching


def preference_set(*, user, email_watched: bool) -> None:
    NotificationPreference.objects.update_or_create(user=user, defaults={"email_watched": email_watched})


def notifications_mark_read(*, user, ids=None) -> int:
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    marked = qs.update(read_at=timezone.now())
    forget_unread_counts([user.pk])
    return marked


__all__ = ["Outcome"]
