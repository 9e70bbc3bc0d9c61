"""Reads for notifications: the bell's count, the inbox, watches, rules, channels and delivery logs."""

from django.db.models import Count, Prefetch, Q

from ..models import Channel, Delivery, DeliveryAttempt, DeliveryStatus, Notification, NotificationRule, Watch

INBOX_LIMIT = 100
LOG_LIMIT = 50


def notification_unread_count(*, user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def notification_inbox(*, user, limit=INBOX_LIMIT):
    return list(Notification.objects.filter(user=user).select_related("application")[:limit])


def watch_exists(*, user, application) -> bool:
    return Watch.objects.filter(user=user, application=application).exists()


def watch_list(*, user):
    return list(Watch.objects.filter(user=user).select_related("application").order_by("-created_at"))


def watched_application_ids(*, user):
    """A subquery of the ids ``user`` watches (the queue's "watching" filter)."""
    return Watch.objects.filter(user=user).values("application_id")


def rule_list():
    return list(NotificationRule.objects.select_related("channel", "owner"))


def channel_list():
    return list(
        Channel.objects.select_related("owner").annotate(
            delivered=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.DELIVERED)),
            failed=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.FAILED)),
            pending=Count(
                "deliveries", filter=Q(deliveries__status__in=[DeliveryStatus.PENDING, DeliveryStatus.DELIVERING])
            ),
        )
    )


def channel_delivery_log(*, channel, limit=LOG_LIMIT):
    attempts = Prefetch("attempt_log", queryset=DeliveryAttempt.objects.order_by("-number"))
    return list(
        Delivery.objects.filter(channel=channel)
        .select_related("event")
        .prefetch_related(attempts)
        .order_by("-created_at", "-id")[:limit]
    )
