"""Labels and finality for CAMS's undocumented State, AuditResult and RequestType codes.

The table lives in settings.CAMS_CODE_TABLE so operators can rename or add codes without a
deploy; an unknown code is shown as itself and treated as still moving (so it keeps being
refreshed until someone classifies it).
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext

TONES = ("final", "moving", "bad", "neutral")  # the badge styles in static/css/app.css


@dataclass(frozen=True)
class CodeInfo:
    code: str
    label: str
    final: bool
    known: bool
    tone: str  # badge colour: "final", "moving", or what the table says (e.g. "bad" for a rejection)
    rejection: bool = False  # an AuditResult meaning CAMS turned the application down


def _label(entry: dict, code: str) -> str:
    # Translated when shown, in the active language: the built-in labels are in the catalogs
    # (gettext_noop in settings); an operator's own label is not, so gettext returns it as written.
    label = str(entry.get("label", code))
    return gettext(label) if label else label


def describe(kind: str, code: str | None) -> CodeInfo:
    code = code or ""
    entry = settings.CAMS_CODE_TABLE.get(kind, {}).get(code)
    if entry is None:
        return CodeInfo(code=code, label=code or "—", final=False, known=False, tone="moving")
    final = _final(kind, code)
    tone = entry.get("tone") if entry.get("tone") in TONES else ("final" if final else "moving")
    return CodeInfo(
        code=code,
        label=_label(entry, code),
        final=final,
        known=True,
        tone=tone,
        rejection=bool(entry.get("rejection")),
    )


def choices(kind: str) -> list[tuple[str, str]]:
    return [(code, _label(entry, code)) for code, entry in settings.CAMS_CODE_TABLE.get(kind, {}).items()]


def _final(kind: str, code: str | None) -> bool:
    """``describe(kind, code).final`` without the label: the refresh asks this of every record."""
    entry = settings.CAMS_CODE_TABLE.get(kind, {}).get(code or "")
    return entry is not None and bool(entry.get("final"))


def is_final(state: str | None, audit_result: str | None) -> bool:
    """An application is settled only when both its state and its audit result are final."""
    return _final("State", state) and _final("AuditResult", audit_result)


def is_rejection(audit_result: str | None) -> bool:
    """Whether the table marks this AuditResult as a rejection (``"rejection": true``)."""
    return describe("AuditResult", audit_result).rejection
