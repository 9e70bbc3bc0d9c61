"""The lookup form: a request number and, when customer spaces are configured, one of them."""

from django import forms
from django.conf import settings

from ..validation import REQUEST_NO_MAX_LENGTH, clean_cust_space_id, clean_request_no


class LookupForm(forms.Form):
    request_no = forms.CharField(
        label="Request number",
        required=False,
        strip=False,
        # No maxlength attribute: an over-long paste should reach the server and get a clear message.
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text", "spellcheck": "false"}),
        help_text=f"The RequestNo of the Viber application, up to {REQUEST_NO_MAX_LENGTH} characters.",
    )
    cust_space_id = forms.CharField(
        label="Customer space",
        required=False,
        help_text="Space ID of an ISV sub-customer or instance ID of a direct customer; empty for the default.",
    )

    @staticmethod
    def shows_cust_space() -> bool:
        return bool(settings.CAMS_CUST_SPACE_IDS)

    def clean_request_no(self):
        # "required" is handled here, not by the field, so every message comes from validation.py.
        return clean_request_no(self.cleaned_data.get("request_no"))

    def clean_cust_space_id(self):
        return clean_cust_space_id(self.cleaned_data.get("cust_space_id"))
