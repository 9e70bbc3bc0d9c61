"""Validation of what users type as request numbers and customer spaces."""
import re

from django.core.exceptions import ValidationError

REQUEST_NO_MAX_LENGTH = 64
# CAMS request numbers seen are digits; allow the characters IDs plausibly use, nothing else.
_ALLOWED = re.compile(r"^[A-Za-z0-9_.\-]+$")


def clean_request_no(value) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError("Enter a request number.", code="required")
    if len(value) > REQUEST_NO_MAX_LENGTH:
        raise ValidationError(
            f"A request number has at most {REQUEST_NO_MAX_LENGTH} characters (this one has {len(value)}).",
            code="max_length",
        )
    if not _ALLOWED.match(value):
        raise ValidationError(
            "A request number may contain only letters, digits, '-', '_' and '.'.", code="invalid_characters"
        )
    return value


def clean_cust_space_id(value) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    if len(value) > 64 or not _ALLOWED.match(value):
        raise ValidationError("That customer space ID is not valid.", code="invalid_cust_space")
    return value
