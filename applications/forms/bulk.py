"""The bulk lookup form: a pasted list of request numbers.

A bad line does not sink the batch: valid numbers are looked up, and each invalid entry is kept
with its line number and the reason, to be shown in the results beside the others.
"""

import re
from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

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
        label=_("Request numbers"),
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    cust_space_id = forms.CharField(label=_("Customer space (optional)"), required=False, max_length=64)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Set per form, not on the field: the limit is put into the text in the request's language.
        self.fields["numbers"].help_text = gettext(
            "Up to %(max)s, one per line or separated by commas or spaces. Lines that are not request numbers "
            "are reported in the results; the others are still looked up."
        ) % {"max": BULK_MAX}

    def clean_numbers(self):
        numbers, invalid = split_entries(self.cleaned_data["numbers"])
        if not numbers:
            if invalid:
                shown = "; ".join(
                    gettext("line %(line)s: %(text)s: %(reason)s")
                    % {"line": entry.line, "text": repr(entry.text), "reason": entry.reason}
                    for entry in invalid[:5]
                )
                raise forms.ValidationError(
                    gettext("No valid request number to look up (%(entries)s).") % {"entries": shown}
                )
            raise forms.ValidationError(gettext("Paste at least one request number."))
        if len(numbers) > BULK_MAX:
            raise forms.ValidationError(
                gettext("At most %(max)s request numbers at a time (got %(count)s).")
                % {"max": BULK_MAX, "count": len(numbers)}
            )
        self.invalid_entries = invalid
        return numbers

    def clean_cust_space_id(self):
        return clean_cust_space_id(self.cleaned_data.get("cust_space_id"))
