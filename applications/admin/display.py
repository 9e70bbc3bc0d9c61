"""How the admin shows values: code labels with the raw code, ISO times, upstream text with bidi marked."""

from django.conf import settings
from django.utils import timezone
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.text import format_lazy

from .. import textsafety

ISO_FORMAT = "%Y-%m-%d %H:%M"


def iso_datetime(value) -> str:
    """``2025-08-29 09:30`` in the site's time zone, which the column header names (see ``tz_label``)."""
    if value is None:
        return "—"
    return timezone.localtime(value).strftime(ISO_FORMAT)


def tz_label(name) -> str:
    """A time column's header with the site's time zone: "Created (UTC)" (lazy: ``name`` is translated when shown)."""
    return format_lazy("{} ({})", name, settings.TIME_ZONE)


def bidi_marked(text: str):
    """Upstream text escaped, then its bidi control characters shown as visible markers."""
    return mark_safe(textsafety.mark_bidi(str(conditional_escape(text))))  # noqa: S308


def code_html(info):
    """A CAMS code as its label with the raw code as secondary text."""
    if not info.code:
        return "—"
    if not info.known:
        return format_html('<code class="vr-code">{}</code>', bidi_marked(info.code))
    return format_html('{} <span class="vr-code">{}</span>', info.label, bidi_marked(info.code))
