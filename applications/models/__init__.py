"""The app's models, one module per topic; imported here so Django registers them.

- ``application``: stored copies of CAMS applications, their snapshots and State/AuditResult events;
- ``review``: internal review statuses and the append-only review log;
- ``bulk``: bulk lookups and their items;
- ``preferences``: each user's language and time zone.
- ``notifications``: watches, rules, channels, the inbox and the delivery outbox.
"""

from .application import ApplicationEvent, ApplicationSnapshot, ViberApplication
from .bulk import BulkLookup, BulkLookupItem
from .notifications import (
    Channel,
    ChannelKind,
    Delivery,
    DeliveryAttempt,
    DeliveryStatus,
    Notification,
    NotificationPreference,
    NotificationRule,
    Watch,
)
from .preferences import UserPreferences
from .review import AppendOnlyQuerySet, ReviewLogEntry, ReviewStatus

__all__ = [
    "AppendOnlyQuerySet",
    "ApplicationEvent",
    "ApplicationSnapshot",
    "BulkLookup",
    "BulkLookupItem",
    "Channel",
    "ChannelKind",
    "Delivery",
    "DeliveryAttempt",
    "DeliveryStatus",
    "Notification",
    "NotificationPreference",
    "NotificationRule",
    "ReviewLogEntry",
    "ReviewStatus",
    "UserPreferences",
    "ViberApplication",
    "Watch",
]
