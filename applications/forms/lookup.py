"""The lookup form: a request number and, when customer spaces are configured, one of them."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..validation import REQUEST_NO_MAX_LENGTH, clean_cust_space_id, clean_request_no


class LookupForm(forms.Form):
    request_no = forms.CharField(
        label=_("Request number"),
        required=False,
        strip=False,
        # No maxlength attribute: an over-long paste should reach the server and get a clear message.
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text", "spellcheck": "false"}),
    )
    cust_space_id = forms.CharField(
        label=_("Customer space"),
        required=False,
        help_text=_("Space ID of an ISV sub-customer or instance ID of a direct customer; empty for the default."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Set per form, not on the field: the number is put into the text in the request's language.
        self.fields["request_no"].help_text = gettext(
            "The RequestNo of the Viber application, up to %(max_length)s characters."
        ) % {"max_length": REQUEST_NO_MAX_LENGTH}

    @staticmethod
    def shows_cust_space() -> bool:
        return bool(settings.CAMS_CUST_SPACE_IDS)

    def clean_request_no(self):
        # "required" is handled here, not by the field, so every message comes from validation.py.
        return clean_request_no(self.cleaned_data.get("request_no"))

    def clean_cust_space_id(self):
        return clean_cust_space_id(self.cleaned_data.get("cust_space_id"))
