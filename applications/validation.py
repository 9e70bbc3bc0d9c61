"""Validation of what users type as request numbers and customer spaces."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

REQUEST_NO_MAX_LENGTH = 64
# CAMS request numbers seen are digits; allow the characters IDs plausibly use, nothing else.
_ALLOWED = re.compile(r"^[A-Za-z0-9_.\-]+$")

# Whole sentences per field (not "{what} cannot be ..."), so each language can phrase them its way.
_REQUEST_NO_PATH_MESSAGES = {
    "path_segment": _("A request number cannot be '.' or '..' (or only dots): those are path names."),
    "no_letters_or_digits": _("A request number needs at least one letter or digit."),
}
_CUST_SPACE_PATH_MESSAGES = {
    "path_segment": _("A customer space ID cannot be '.' or '..' (or only dots): those are path names."),
    "no_letters_or_digits": _("A customer space ID needs at least one letter or digit."),
}


def clean_request_no(value) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError(_("Enter a request number."), code="required")
    if len(value) > REQUEST_NO_MAX_LENGTH:
        raise ValidationError(
            _("A request number has at most %(limit)d characters (this one has %(length)d)."),
            code="max_length",
            params={"limit": REQUEST_NO_MAX_LENGTH, "length": len(value)},
        )
    if not _ALLOWED.match(value):
        raise ValidationError(
            _("A request number may contain only letters, digits, '-', '_' and '.'."), code="invalid_characters"
        )
    _refuse_without_letters_or_digits(value, _REQUEST_NO_PATH_MESSAGES)
    return value


def _refuse_without_letters_or_digits(value: str, messages: dict) -> None:
    # The value becomes a URL path segment (/applications/<request_no>/): "." and ".." would be
    # resolved away by browsers and proxies before reaching us, and a value of only punctuation
    # names nothing.
    if set(value) <= {"."}:
        raise ValidationError(messages["path_segment"], code="path_segment")
    if not any(ch.isalnum() for ch in value):
        raise ValidationError(messages["no_letters_or_digits"], code="no_letters_or_digits")


def clean_cust_space_id(value) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    if len(value) > 64 or not _ALLOWED.match(value):
        raise ValidationError(_("That customer space ID is not valid."), code="invalid_cust_space")
    _refuse_without_letters_or_digits(value, _CUST_SPACE_PATH_MESSAGES)
    allowed = settings.CAMS_CUST_SPACE_IDS
    # With a configured list, any other space is refused here, before CAMS is asked or a row stored.
    if allowed and value not in allowed and value != settings.CAMS_DEFAULT_CUST_SPACE_ID:
        raise ValidationError(
            _("That customer space is not one this site works with (see CAMS_CUST_SPACE_IDS)."),
            code="unknown_cust_space",
        )
    return value
