"""The bulk lookup form: a pasted list of request numbers.

A bad line does not sink the batch: valid numbers are looked up, and each invalid entry is kept
with its line number and the reason, to be shown in the results beside the others.
"""

import re
from dataclasses import dataclass

from django import forms

from ..validation import clean_cust_space_id, clean_request_no

BULK_MAX = 500
_SEPARATORS = re.compile(r"[\s,;]+")


@dataclass(frozen=True)
class InvalidEntry:
    line: int
    text: str
    reason: str


def split_entries(text: str) -> tuple[list[str], list[InvalidEntry]]:
    """(valid numbers de-duplicated in order, invalid entries with their line) of a pasted text."""
    numbers, invalid = [], []
    for line_no, line in enumerate(text.splitlines(), start=1):
        for part in _SEPARATORS.split(line):
            if not part:
                continue
            try:
                numbers.append(clean_request_no(part))
            except forms.ValidationError as error:
                invalid.append(InvalidEntry(line_no, part, " ".join(error.messages)))
    return list(dict.fromkeys(numbers)), invalid


class BulkLookupForm(forms.Form):
    numbers = forms.CharField(
        label="Request numbers",
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=f"Up to {BULK_MAX}, one per line or separated by commas or spaces. Lines that are not "
        "request numbers are reported in the results; the others are still looked up.",
    )
    cust_space_id = forms.CharField(label="Customer space (optional)", required=False, max_length=64)

    def clean_numbers(self):
        numbers, invalid = split_entries(self.cleaned_data["numbers"])
        if not numbers:
            if invalid:
                shown = "; ".join(f"line {entry.line}: {entry.text!r}: {entry.reason}" for entry in invalid[:5])
                raise forms.ValidationError(f"No valid request number to look up ({shown}).")
            raise forms.ValidationError("Paste at least one request number.")
        if len(numbers) > BULK_MAX:
            raise forms.ValidationError(f"At most {BULK_MAX} request numbers at a time (got {len(numbers)}).")
        self.invalid_entries = invalid
        return numbers

    def clean_cust_space_id(self):
        return clean_cust_space_id(self.cleaned_data.get("cust_space_id"))
