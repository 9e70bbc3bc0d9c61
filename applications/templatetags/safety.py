"""Template filters for untrusted text: ``{% load safety %}`` then ``{{ value|mark_bidi }}``.

The value is escaped first, then its bidi control characters are replaced by visible ASCII
markers (``textsafety.mark_bidi``), so the result is safe HTML with nothing reordered.
"""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from .. import textsafety

register = template.Library()


@register.filter(name="mark_bidi", needs_autoescape=True)
def mark_bidi_filter(value, autoescape=True):
    if value is None:
        return ""
    text = conditional_escape(value) if autoescape else str(value)
    # The markers are plain ASCII without markup characters: escaped text stays escaped.
    return mark_safe(textsafety.mark_bidi(str(text)))  # noqa: S308
