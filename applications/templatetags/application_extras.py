"""Template helpers for showing upstream (untrusted) values.

Everything CAMS sends is user-submitted text, so this is the one place that decides whether a
value may become a link or an image source: only absolute http(s) URLs with a host. Anything
else (``javascript:``, ``data:``, relative paths, URLs with control characters) is shown as
escaped text by the templates.
"""

import json
from urllib.parse import urlsplit

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

from .. import codes, textsafety

register = template.Library()


def http_url_or_empty(value) -> str:
    if not isinstance(value, str):
        return ""
    url = value.strip()
    # Browsers drop tabs/newlines inside URLs ("java\tscript:"), so refuse any control character
    # or space rather than reasoning about what a browser would make of it.
    if not url or any(ch.isspace() or ord(ch) < 0x20 or ord(ch) == 0x7F for ch in url) or textsafety.has_bidi(url):
        return ""
    try:
        parts = urlsplit(url)
    except ValueError:  # e.g. an unbalanced IPv6 bracket
        return ""
    if parts.scheme.lower() not in {"http", "https"} or not parts.hostname:
        return ""
    return url


@register.filter
def http_url(value) -> str:
    """The value if it is an http(s) URL, else "" (use with ``{% if %}`` before an ``src``)."""
    return http_url_or_empty(value)


@register.filter
def external_link(value):
    """An http(s) URL as a link opening in a new tab without referrer; anything else as text."""
    url = http_url_or_empty(value)
    if not url:  # shown as escaped text, its bidi controls visibly marked
        return "" if value is None else mark_safe(textsafety.mark_bidi(str(conditional_escape(value))))  # noqa: S308
    return format_html('<a href="{}" target="_blank" rel="noopener noreferrer">{}</a>', url, url)


@register.filter
def as_text(value) -> str:
    """Structured upstream values (an unknown field may be an object or array) as compact JSON."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


@register.filter
def code_label(code, kind) -> str:
    """``{{ snapshot.state|code_label:"State" }}``: the label from settings.CAMS_CODE_TABLE."""
    return codes.describe(kind, code).label
