"""How long an application has been in its current status, told honestly.

"Status" is the pair CAMS reports (State, AuditResult); a change of either starts a new one. This
app only sees what CAMS says when it fetches, so the start of the current status is known exactly
in one case and bounded in the others:

- ``created``: CAMS says nothing was modified since creation (``GmtModifier`` equals ``GmtCreate``
  and there is no ``AuditTime`` after it), so the status is the one it was created with: since
  ``GmtCreate``, exactly.
- ``changed``: this app saw the status change between two fetches; it started after the earlier
  fetch and at the latest when the change was seen, so "since about <seen>".
- ``modified``: first seen already in this status, after modifications. Every status change is a
  modification, so the status started at or before the last modification (``GmtModifier`` or
  ``AuditTime``, whichever is later): "at least since <last modified>".
- ``first_seen``: nothing usable from CAMS (no times, or times after our first fetch): "at least
  since <first seen>".

The queue sorts on the same instant (stored as ``state_since``), so the column and the sort agree.
Pure: no database.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils.translation import gettext, gettext_lazy

CREATED, CHANGED, MODIFIED, FIRST_SEEN = "created", "changed", "modified", "first_seen"
BASES = (CREATED, CHANGED, MODIFIED, FIRST_SEEN)
# CAMS writes GmtCreate and GmtModifier separately on creation; they may differ by a moment.
_SAME_INSTANT = timedelta(seconds=2)


@dataclass(frozen=True)
class StateSince:
    at: datetime | None
    basis: str  # one of BASES, "" when nothing is known

    @property
    def exact(self) -> bool:
        return self.basis == CREATED


def state_since(
    *,
    first_seen: datetime | None,
    gmt_create: datetime | None = None,
    gmt_modified: datetime | None = None,
    audit_time: datetime | None = None,
    change_seen_at: datetime | None = None,
) -> StateSince:
    """The instant the current status started (or the latest instant it is known to hold since)."""
    if change_seen_at is not None:
        return StateSince(change_seen_at, CHANGED)
    modified = max((t for t in (gmt_modified, audit_time) if t is not None), default=None)
    if gmt_create is not None and (modified is None or modified - gmt_create <= _SAME_INSTANT):
        if gmt_modified is not None:  # CAMS states there was no modification since creation
            return StateSince(gmt_create, CREATED)
    if modified is not None and (first_seen is None or modified <= first_seen):
        return StateSince(modified, MODIFIED)
    if first_seen is not None:
        return StateSince(first_seen, FIRST_SEEN)
    return StateSince(None, "")


def describe(since: StateSince, *, first_seen: datetime | None, fmt) -> str:
    """The label shown beside the duration, e.g. "since 2025-08-29 09:10 UTC (created)".

    ``fmt`` formats a datetime (the caller decides the time zone and format).
    """
    if since.at is None:
        return gettext("unknown: not fetched yet")
    at = fmt(since.at)
    if since.basis == CREATED:
        return gettext("since %(at)s (created, not modified since)") % {"at": at}
    if since.basis == CHANGED:
        return gettext("since about %(at)s (change seen by this app)") % {"at": at}
    if since.basis == MODIFIED:
        if first_seen:
            return gettext("at least since %(at)s (last modified in CAMS), first seen %(first_seen)s") % {
                "at": at,
                "first_seen": fmt(first_seen),
            }
        return gettext("at least since %(at)s (last modified in CAMS)") % {"at": at}
    return gettext("at least since %(at)s (first seen by this app)") % {"at": at}


RULE = gettext_lazy(
    "Time in the current State/AuditResult. Exact when CAMS says the application is unmodified since "
    "creation; 'since about' when this app saw the change; otherwise 'at least', counted from the last "
    "modification CAMS reports (GmtModifier/AuditTime) or from when this app first saw it."
)
