"""Reads for notifications: the bell's count, the inbox, watches, rules, channels and delivery logs."""

from functools import cache

from django.db import connection
from django.db.models import Count, Prefetch, Q

from ..models import Channel, Delivery, DeliveryAttempt, DeliveryStatus, Notification, NotificationRule, Watch
from ..queue_cache import cached
from .compiled import CompiledGet

INBOX_LIMIT = 100
LOG_LIMIT = 50
UNREAD_COUNT_SECONDS = 60
WATCHED_IDS_SECONDS = 3600


def notification_unread_count(*, user) -> int:
    """The bell's number, cached per user until a notification for them is written or read.

    The services that write or mark notifications drop it (services/notifications/viewer_cache.py);
    the expiry bounds what a path that bypasses them (a cascade delete) can leave behind.
    """
    return cached(
        unread_count_key(user.pk),
        lambda: Notification.objects.filter(user=user, read_at__isnull=True).count(),
        UNREAD_COUNT_SECONDS,
    )


def unread_count_key(user_id) -> str:
    return f"notifications:unread:v1:{user_id}"


def notification_inbox(*, user, limit=INBOX_LIMIT):
    return list(Notification.objects.filter(user=user).select_related("application")[:limit])


def watch_exists(*, user, application) -> bool:
    return application.pk in watched_ids(user=user)


def watched_ids_key(user_id) -> str:
    return f"notifications:watched-ids:v1:{user_id}"


def watched_ids(*, user) -> frozenset:
    """The ids of the applications ``user`` watches, cached until the user watches or unwatches one.

    Every application page asks; the answer changes only through ``watch_set``, which drops it
    (services/notifications/viewer_cache.py).
    (A watched application that is deleted leaves an id that matches nothing: harmless.)
    """
    return cached(
        watched_ids_key(user.pk),
        lambda: frozenset(Watch.objects.filter(user=user).values_list("application_id", flat=True)),
        WATCHED_IDS_SECONDS,
    )


def watch_list(*, user):
    return list(Watch.objects.filter(user=user).select_related("application").order_by("-created_at"))


def watched_application_ids(*, user):
    """A subquery of the ids ``user`` watches (the queue's "watching" filter)."""
    return Watch.objects.filter(user=user).values("application_id")


def rules_on_field(field: str):
    """The rules a change of ``field`` may fire: enabled, to an enabled channel (``rule_matches`` decides)."""
    return NotificationRule.objects.filter(enabled=True, field=field, channel__enabled=True)


# Most changes are to records nobody watches, of fields no rule is about. Django compiles the
# fan-out's two queries anew for every change (about 1 ms of CPU each, twenty times running them);
# these two checks run SQL built once per process, so the fan-out builds its queries only when
# they can find something.
_a_rule_on_field = CompiledGet(lambda field: rules_on_field(field).only("pk"), "field")


def rules_exist_on_field(*, field: str) -> bool:
    return _a_rule_on_field.first(field=field) is not None


@cache
def _watched_sql(vendor: str) -> str:
    quote, opts = connection.ops.quote_name, Watch._meta
    return f"SELECT 1 FROM {quote(opts.db_table)} WHERE {quote(opts.get_field('application').column)} = %s LIMIT 1"


def application_is_watched(*, application_id: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(_watched_sql(connection.vendor), [application_id])
        return cursor.fetchone() is not None


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
