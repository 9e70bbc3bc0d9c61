"""Versioned JSON events, the body of every webhook and the source of every other message.

Shape follows the Standard Webhooks payload recommendation (``type``, ``timestamp``, ``data``);
``version`` changes only when a field is removed or changes meaning.
# Reference: https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md#payload-structure
"""

from dataclasses import dataclass
from datetime import datetime

VERSION = 1
STATE_CHANGED = "application.state_changed"
AUDIT_RESULT_CHANGED = "application.audit_result_changed"
TEST = "notification.test"
SLA_DIGEST = "application.sla_digest"
EVENT_TYPES = {"state": STATE_CHANGED, "audit_result": AUDIT_RESULT_CHANGED}
FIELD_LABELS = {"state": "State", "audit_result": "Audit result"}


@dataclass(frozen=True)
class Change:
    """What a message says about one change (plain values, no ORM objects)."""

    request_no: str
    cust_space_id: str
    company: str
    request_type: str
    field: str
    old_value: str
    new_value: str
    old_label: str
    new_label: str
    seen_at: datetime
    gmt_create: datetime | None
    gmt_modified: datetime | None
    audit_time: datetime | None
    url: str

    @property
    def event_type(self) -> str:
        return EVENT_TYPES[self.field]

    @property
    def summary(self) -> str:
        """One line, also the e-mail subject: names the request number and the change."""
        return f"{self.request_no}: {FIELD_LABELS[self.field]} {self.old_label or '(none)'} → {self.new_label}" + (
            f" ({self.company})" if self.company else ""
        )


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def change_payload(change: Change) -> dict:
    return {
        "type": change.event_type,
        "version": VERSION,
        "timestamp": _iso(change.seen_at),
        "data": {
            "request_no": change.request_no,
            "cust_space_id": change.cust_space_id,
            "company": change.company,
            "request_type": change.request_type,
            "field": change.field,
            "old_value": change.old_value,
            "new_value": change.new_value,
            "old_label": change.old_label,
            "new_label": change.new_label,
            "cams_times": {
                "gmt_create": _iso(change.gmt_create),
                "gmt_modified": _iso(change.gmt_modified),
                "audit_time": _iso(change.audit_time),
            },
            "url": change.url,
        },
    }


def test_payload(*, channel_name: str, at: datetime, url: str) -> dict:
    return {
        "type": TEST,
        "version": VERSION,
        "timestamp": _iso(at),
        "data": {"message": f"Test message for channel {channel_name!r} from Viber Review", "url": url},
    }


def digest_payload(*, at: datetime, sla_hours: float, late: list[dict], url: str) -> dict:
    """``late``: dicts with request_no, cust_space_id, company, state, state_label, waiting_hours, url."""
    return {
        "type": SLA_DIGEST,
        "version": VERSION,
        "timestamp": _iso(at),
        "data": {"sla_hours": sla_hours, "count": len(late), "applications": late, "url": url},
    }


def message_lines(payload: dict) -> tuple[str, list[str], str]:
    """(title, lines, link) of any payload: the common text of e-mails and chat messages."""
    data = payload["data"]
    kind = payload["type"]
    if kind in (STATE_CHANGED, AUDIT_RESULT_CHANGED):
        title = (
            f"{data['request_no']}: {FIELD_LABELS[data['field']]} {data['old_label'] or '(none)'} → {data['new_label']}"
        )
        lines = [f"Company: {data['company'] or '(unknown)'}"] if data.get("company") else []
        if data.get("cust_space_id"):
            lines.append(f"Customer space: {data['cust_space_id']}")
        lines.append(f"{FIELD_LABELS[data['field']]}: {data['old_value'] or '(none)'} → {data['new_value']}")
        if data["cams_times"].get("gmt_modified"):
            lines.append(f"Modified in CAMS: {data['cams_times']['gmt_modified']}")
        return title, lines, data["url"]
    if kind == SLA_DIGEST:
        title = f"{data['count']} application(s) waiting beyond the {data['sla_hours']:g} h review SLA"
        lines = [
            f"{item['request_no']} {item['company'] or ''} — {item['state_label']} for {item['waiting_hours']:.0f} h"
            for item in data["applications"]
        ]
        return title, lines, data["url"]
    return "Viber Review test message", [data.get("message", "")], data.get("url", "")
