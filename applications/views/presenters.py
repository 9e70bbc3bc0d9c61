"""Turns a stored application into the grouped rows the detail page shows.

The page must show every field CAMS sent, including ones we have never seen, so the groups
below name the known fields and ``extra_fields`` collects the rest. Values come from the stored
raw ``Data`` (top level) and the normalised ``audit_record`` (list fields flattened), never
re-typed: the template escapes them and decides links through ``application_extras``.
"""

import json
from dataclasses import dataclass, field
from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from .. import codes
from ..cams.fields import AUDIT_RECORD, DATA_ATTRIBUTES, LOGO, STRUCTURED_ATTRIBUTES, TABLE_FIELDS, TIME_FIELDS
from ..selectors.applications import application_events, application_snapshots
from ..services.scheduling import refresh_interval_seconds
from ..templatetags import review_extras
from .review_presenters import snapshot_diffs

DATA = "data"  # a top-level field of Data
RECORD = "record"  # a field of Data.AuditRecord


@dataclass(frozen=True)
class Field:
    label: str
    key: str
    source: str = RECORD
    kind: str = "text"  # text | long | url | time | flag | code:<table kind>


# The "times" are parsed by parsing.parse_timestamp into these model columns.
_TIME_COLUMNS = {key: DATA_ATTRIBUTES[key] for key in TIME_FIELDS}

SECTIONS = (
    (
        "status",
        _("Status and audit"),
        (
            Field(_("State"), "State", DATA, "code:State"),
            Field(_("Audit result"), "AuditResult", DATA, "code:AuditResult"),
            Field(_("Audit comment"), "Reason", DATA, "long"),
            Field(_("Audit time"), "AuditTime", DATA, "time"),
            Field(_("Request type"), "RequestType", DATA, "code:RequestType"),
            Field(_("Created"), "GmtCreate", DATA, "time"),
            Field(_("Modified"), "GmtModifier", DATA, "time"),
            Field(_("Request number"), "RequestNo", DATA),
            Field(_("Id"), "Id", DATA),
            Field(_("Creator"), "Creator", DATA),
            Field(_("Modifier"), "Modifier", DATA),
            Field(_("Viber service number"), "MaapServiceNo", DATA),
            Field(_("Subscriber code"), "SubscriberCode", DATA),
        ),
    ),
    (
        "company",
        _("Company"),
        (
            Field(_("Legal name"), "CompanyLegalName"),
            Field(_("English name"), "CompanyEnglishName"),
            Field(_("Legal representative"), "CompanyLegalPerson"),
            Field(_("Registered country"), "CompanyRegisteredCountry"),
            Field(_("Headquarters address"), "CompleteAddressOfHeadquarters", kind="long"),
            Field(_("Business licence number"), "BusinessLicenseRegistrationNumber"),
            Field(_("Industry"), "IndustryInvolved", kind="code:IndustryInvolved"),
            Field(_("Industry description"), "IndustryDescription", kind="long"),
            Field(_("Profile"), "CompanyProfile", kind="long"),
            Field(_("Website"), "WebAddress", kind="url"),
        ),
    ),
    (
        "contact",
        _("Contact"),
        (
            Field(_("Name"), "ContactName"),
            Field(_("Position"), "ContactPosition"),
            Field(_("Email"), "ContactEmail"),
            Field(_("Contact mail (older field)"), "ContactMail"),
            Field(_("Phone"), "ContactPhone"),
        ),
    ),
    (
        "messaging",
        _("Business account and messaging"),
        (
            Field(_("Business account name"), "BusinessAccountName"),
            Field(_("Conversation name"), "MessageSessionName"),
            Field(_("Conversation introduction"), "MessageDialogueIntroduction", kind="long"),
            Field(_("Messaging enabled on"), "MessageEnableDate"),
            Field(_("Age limit"), "AgeLimit", kind="code:AgeLimit"),
            Field(_("Reason for applying"), "ApplyReason", kind="long"),
            Field(_("Recovery status"), "NowRecovery"),
            Field(_("Recovery date"), "RecoveryDate"),
            Field(_("Suspension date"), "SuspensionDate"),
        ),
    ),
    (
        "documents",
        _("Documents and links"),
        (
            Field(_("Letter of guarantee"), "LetterGuarantee", kind="url"),
            Field(_("Supplementary information"), "OtherLetterGuarantee", kind="url"),
            Field(_("Website"), "WebAddress", kind="url"),
        ),
    ),
    (
        "auto-reply",
        _("Auto-reply"),
        (
            Field(_("Auto-reply enabled"), "EnableAutoReply", kind="flag"),
            Field(_("Reply content"), "ReplyContent", kind="long"),
        ),
    ),
)

# Record fields shown as tables or images rather than rows.
_SHOWN_ELSEWHERE = set(STRUCTURED_ATTRIBUTES)
_FLAGS = {"Y": _("Yes"), "N": _("No")}


@dataclass
class Row:
    label: str
    key: str
    kind: str
    present: bool
    value: object = ""
    parsed: object = None  # a datetime for "time", a CodeInfo for "code:*", a label for "flag"


_COLUMN_LABELS = {
    "CompanyAddressTitle": _("Title"),
    "CompanyAddress": _("Address"),
    "CompanyTelTitle": _("Title"),
    "CompanyTelNumber": _("Number"),
}


@dataclass
class Table:
    key: str
    columns: list[tuple[str, str]]  # (label, upstream key)
    rows: list[list[str]] = field(default_factory=list)


def _row(spec: Field, application, data: dict, record: dict) -> Row:
    source = data if spec.source == DATA else record
    present = spec.key in source
    value = source.get(spec.key, "")
    kind, parsed = spec.kind, None
    if kind == "time":
        parsed = getattr(application, _TIME_COLUMNS[spec.key])
    elif kind.startswith("code:"):
        parsed = codes.describe(kind.partition(":")[2], None if value is None else str(value))
        kind = "code"
    elif kind == "flag":
        parsed = _FLAGS.get(str(value).strip().upper())
    return Row(spec.label, spec.key, kind, present, value, parsed)


def _table(key: str, rows, known_columns) -> Table:
    """Known columns first, then any column a future response adds, so nothing is hidden."""
    rows = [row for row in rows or [] if isinstance(row, dict)]
    columns = list(known_columns)
    for row in rows:
        columns += [name for name in row if name not in columns]
    labels = [(str(_COLUMN_LABELS.get(name, name)), name) for name in columns]
    return Table(key, labels, [[row.get(name) for name in columns] for row in rows])


def extra_fields(data: dict, record: dict) -> list[tuple[str, object]]:
    """Every Data / AuditRecord field no section, table or image shows, as (dotted key, value)."""
    shown_data = {spec.key for _, _, specs in SECTIONS for spec in specs if spec.source == DATA}
    shown_record = {spec.key for _, _, specs in SECTIONS for spec in specs if spec.source == RECORD}
    shown_record |= _SHOWN_ELSEWHERE
    extra = [(key, value) for key, value in data.items() if key not in shown_data and key != AUDIT_RECORD]
    extra += [(f"{AUDIT_RECORD}.{key}", value) for key, value in record.items() if key not in shown_record]
    return extra


def detail_context(application) -> dict:
    raw = _raw(application)
    data = raw.get("Data") if isinstance(raw.get("Data"), dict) else {}
    record = application.audit_record if isinstance(application.audit_record, dict) else {}
    document = application.document if isinstance(application.document, dict) else {}
    sections = [
        {"id": section_id, "title": title, "rows": [_row(spec, application, data, record) for spec in specs]}
        for section_id, title, specs in SECTIONS
    ]
    tables = {
        "addresses": _table("CompanyAddress", record.get("CompanyAddress"), TABLE_FIELDS["CompanyAddress"]),
        "telephones": _table("CompanyTel", record.get("CompanyTel"), TABLE_FIELDS["CompanyTel"]),
    }
    return {
        "sections": sections,
        "tables": tables,
        "destinations_local": document.get("destinations_local") or [],
        "destinations_international": document.get("destinations_international") or [],
        "logos": [logo for logo in record.get(LOGO, []) if isinstance(logo, str)],
        "extra_fields": extra_fields(data, record),
    }


def _raw(application) -> dict:
    return application.raw_response if isinstance(application.raw_response, dict) else {}


def history_context(application) -> dict:
    """The timeline (snapshots and change events merged), the snapshot diffs, the response's
    envelope (RequestId, Code, Message... around Data) and the raw JSON."""
    snapshots = application_snapshots(application=application)
    events = application_events(application=application)
    raw = _raw(application)
    return {
        "envelope": [(key, value) for key, value in raw.items() if key != "Data"],
        "timeline": timeline(snapshots, events),
        "snapshot_diffs": snapshot_diffs(application),
        # Pretty-printed here, escaped by the template like every other upstream string.
        "raw_json": json.dumps(raw, indent=2, ensure_ascii=False, sort_keys=False),
    }


# --- Refresh schedule and timeline of the background refresh ---

_EVENT_CODE_KINDS = {"state": "State", "audit_result": "AuditResult"}


@dataclass(frozen=True)
class Change:
    """One ApplicationEvent as "State: In review (I) → Active (A)"."""

    event: object
    at: object
    field_label: str
    old: codes.CodeInfo
    new: codes.CodeInfo


def event_change(event) -> Change:
    kind = _EVENT_CODE_KINDS.get(event.field, event.field)
    return Change(
        event,
        event.seen_at,
        event.get_field_display(),
        codes.describe(kind, event.old_value),
        codes.describe(kind, event.new_value),
    )


@dataclass(frozen=True)
class TimelineEntry:
    kind: str  # "event" | "snapshot"
    at: object
    item: object  # a Change or an ApplicationSnapshot
    first: bool = False  # the first snapshot stored for this application


def timeline(snapshots, events, *, limit: int = 50) -> list[TimelineEntry]:
    """Snapshots and change events merged, newest first; at the same instant the event comes first.

    Given the newest ``limit`` of each, the newest ``limit`` of the merge is exact.
    """
    snapshots, events = list(snapshots), list(events)
    # Only when every snapshot is here is the oldest one known to be the first copy stored.
    first = min(snapshots, key=lambda s: (s.seen_at, s.pk)) if 0 < len(snapshots) < limit else None
    entries = [TimelineEntry("event", e.seen_at, event_change(e)) for e in events]
    entries += [TimelineEntry("snapshot", s.seen_at, s, first=s is first) for s in snapshots]

    def order(entry):
        pk = entry.item.event.pk if entry.kind == "event" else entry.item.pk
        return entry.at, entry.kind == "event", pk

    return sorted(entries, key=order, reverse=True)[:limit]


def refresh_schedule(application, now) -> dict:
    """When the background refresh next looks at this application, and why that often."""
    final = application.is_final
    next_at = application.next_refresh_at
    return {
        "next_at": next_at,
        "overdue": bool(next_at and next_at <= now),
        "final": final,
        "state": application.state_info,
        "audit_result": application.audit_result_info,
        "interval": duration_text(refresh_interval_seconds(application)),
        "now": now,
    }


def duration_text(seconds: float) -> str:
    """600 -> "10 minutes", 86400 -> "1 day", 90 -> "1 minute 30 seconds" (two largest units)."""
    return review_extras.duration_text(timedelta(seconds=round(seconds)))
