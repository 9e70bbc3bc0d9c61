"""Versioned JSON events, the body of every webhook and the source of every other message.

Shape follows the Standard Webhooks payload recommendation (``type``, ``timestamp``, ``data``);
``version`` changes only when a field is removed or changes meaning.
# Reference: https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md#payload-structure
"""

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from .. import codes

VERSION = 1
STATE_CHANGED = "application.state_changed"
AUDIT_RESULT_CHANGED = "application.audit_result_changed"
TEST = "notification.test"
SLA_DIGEST = "application.sla_digest"
EVENT_TYPES = {"state": STATE_CHANGED, "audit_result": AUDIT_RESULT_CHANGED}
FIELD_LABELS = {"state": _("State"), "audit_result": _("Audit result")}
CODE_KINDS = {"state": "State", "audit_result": "AuditResult"}


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
        """One line in the active language (the inbox title): the request number, the change, the company."""
        title = change_title(
            request_no=self.request_no,
            field=self.field,
            old=_code_label(self.field, self.old_value, self.old_label),
            new=_code_label(self.field, self.new_value, self.new_label),
        )
        return gettext("%(title)s (%(company)s)") % {"title": title, "company": self.company} if self.company else title


def _code_label(field: str, code: str, sent_label: str) -> str:
    """The label of ``code`` in the active language; the label the event carried for a code the table lacks."""
    info = codes.describe(CODE_KINDS[field], code)
    return gettext(info.label) if info.known else (sent_label or code)


def change_title(*, request_no: str, field: str, old: str, new: str) -> str:
    """ "7001: State Reviewing → Rejected", in the active language (also the e-mail subject)."""
    return gettext("%(request_no)s: %(field)s %(old)s → %(new)s") % {
        "request_no": request_no,
        "field": FIELD_LABELS[field],
        "old": old or gettext("(none)"),
        "new": new,
    }


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
        # "message" stays English (a stable payload); messages people read are worded in message_lines.
        "data": {
            "message": f"Test message for channel {channel_name!r} from Viber Review",
            "channel": channel_name,
            "url": url,
        },
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
    """(title, lines, link) of any payload: the common text of e-mails and chat messages.

    Worded in the active language: callers pick it (translation.override) for the recipient.
    """
    data = payload["data"]
    kind = payload["type"]
    if kind in (STATE_CHANGED, AUDIT_RESULT_CHANGED):
        field = data["field"]
        title = change_title(
            request_no=data["request_no"],
            field=field,
            old=_code_label(field, data["old_value"], data["old_label"]),
            new=_code_label(field, data["new_value"], data["new_label"]),
        )
        lines = [gettext("Company: %(company)s") % {"company": data["company"]}] if data.get("company") else []
        if data.get("cust_space_id"):
            lines.append(gettext("Customer space: %(space)s") % {"space": data["cust_space_id"]})
        lines.append(
            gettext("%(field)s: %(old)s → %(new)s")
            % {"field": FIELD_LABELS[field], "old": data["old_value"] or gettext("(none)"), "new": data["new_value"]}
        )
        if data["cams_times"].get("gmt_modified"):
            lines.append(gettext("Modified in CAMS: %(time)s") % {"time": data["cams_times"]["gmt_modified"]})
        return title, lines, data["url"]
    if kind == SLA_DIGEST:
        title = ngettext(
            "%(count)d application waiting beyond the %(hours)s h review SLA",
            "%(count)d applications waiting beyond the %(hours)s h review SLA",
            data["count"],
        ) % {"count": data["count"], "hours": f"{data['sla_hours']:g}"}
        lines = [
            gettext("%(request_no)s %(company)s — %(state)s for %(hours)s h")
            % {
                "request_no": item["request_no"],
                "company": item["company"] or "",
                "state": _code_label("state", item["state"], item["state_label"]),
                "hours": f"{item['waiting_hours']:.0f}",
            }
            for item in data["applications"]
        ]
        return title, lines, data["url"]
    if "channel" in data:
        message = gettext("Test message for channel “%(name)s” from Viber Review") % {"name": data["channel"]}
    else:
        message = data.get("message", "")
    return gettext("Viber Review test message"), [message], data.get("url", "")
