"""The app's models, one module per topic; imported here so Django registers them.

- ``application``: stored copies of CAMS applications, their snapshots and State/AuditResult events;
- ``review``: internal review statuses and the append-only review log;
- ``bulk``: bulk lookups and their items;
- ``preferences``: each user's language and time zone.
"""

from .application import ApplicationEvent, ApplicationSnapshot, ViberApplication
from .bulk import BulkLookup, BulkLookupItem
from .preferences import UserPreferences
from .review import AppendOnlyQuerySet, ReviewLogEntry, ReviewStatus

__all__ = [
    "AppendOnlyQuerySet",
    "ApplicationEvent",
    "ApplicationSnapshot",
    "BulkLookup",
    "BulkLookupItem",
    "ReviewLogEntry",
    "ReviewStatus",
    "UserPreferences",
    "ViberApplication",
]
