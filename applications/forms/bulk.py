"""The bulk lookup form: a pasted list of request numbers."""

import re

from django import forms

from ..validation import clean_cust_space_id, clean_request_no

BULK_MAX = 500
_SEPARATORS = re.compile(r"[\s,;]+")


class BulkLookupForm(forms.Form):
    numbers = forms.CharField(
        label="Request numbers",
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=f"Up to {BULK_MAX}, one per line or separated by commas or spaces.",
    )
    cust_space_id = forms.CharField(label="Customer space (optional)", required=False, max_length=64)

    def clean_numbers(self):
        raw = [part for part in _SEPARATORS.split(self.cleaned_data["numbers"]) if part]
        numbers = list(dict.fromkeys(raw))  # de-duplicated, order kept
        if not numbers:
            raise forms.ValidationError("Paste at least one request number.")
        if len(numbers) > BULK_MAX:
            raise forms.ValidationError(f"At most {BULK_MAX} request numbers at a time (got {len(numbers)}).")
        bad = []
        for number in numbers:
            try:
                clean_request_no(number)
            except forms.ValidationError:
                bad.append(number)
        if bad:
            shown = ", ".join(bad[:5]) + (" …" if len(bad) > 5 else "")
            raise forms.ValidationError(f"Not valid request numbers: {shown}")
        return numbers

    def clean_cust_space_id(self):
        return clean_cust_space_id(self.cleaned_data.get("cust_space_id"))
