"""How the pages show things: time in state, code labels, destinations, long values.

``{% load display %}``. Every upstream string still goes through ``mark_bidi`` (safety.py) in the
templates; these helpers only choose words.
"""

from django import template
from django.utils import timezone
from django.utils.timesince import timesince

from .. import codes, state_time
from ..cams.destinations import dial_code_check

register = template.Library()

CLAMP_CHARS = 280  # longer values (or more than CLAMP_LINES lines) are clamped with "Show more"
CLAMP_LINES = 4


def _fmt(value) -> str:
    """``value|date:"Y-m-d H:i T"`` in the reader's time zone, without the template machinery."""
    local = timezone.localtime(value)
    return f"{local:%Y-%m-%d %H:%M} {local.tzname() or ''}".rstrip()


@register.filter
def in_state_label(app) -> str:
    """ "since 2025-08-29 09:10 UTC (created, not modified since)" and the like (state_time.describe)."""
    since = app.state_since_info
    return state_time.describe(since, first_seen=getattr(app, "created_at", None), fmt=_fmt)


@register.filter
def in_state_for(app) -> str:
    """The duration: "3 months, 2 weeks", prefixed "≥" when it is a lower bound."""
    since = app.state_since_info
    if since.at is None:
        return "—"
    text = timesince(since.at, timezone.now())
    return text if since.exact else f"≥ {text}"


@register.simple_tag
def in_state_rule() -> str:
    return state_time.RULE


@register.filter
def code_info(code, kind) -> codes.CodeInfo:
    """``{% with info=value|code_info:"IndustryInvolved" %}``: the label and whether it is known."""
    return codes.describe(kind, None if code is None else str(code))


@register.filter
def dial_check(destination) -> dict:
    """The dial-code/ISO comparison of one destination (cams/destinations.py)."""
    return dial_code_check(destination)


@register.filter
def is_long(value) -> bool:
    """Whether a value is long enough to be clamped with a "Show more"."""
    text = value if isinstance(value, str) else ""
    return len(text) > CLAMP_CHARS or text.count("\n") >= CLAMP_LINES
