"""Forms of the review queue (GET filters), the internal review actions and the bulk lookup."""
import re
from functools import lru_cache

import pycountry
from django import forms

from . import codes
from .models import ReviewStatus
from .queue_cache import cached
from .selectors_queue import SORTS, queue_distinct, queue_reviewers
from .validation import clean_cust_space_id, clean_request_no
from .widgets import FastSelect

ANY = [("", "Any")]
SORT_LABELS = {"created": "Created", "audited": "Audited", "request_no": "Request number", "company": "Company",
               "state": "State", "audit_result": "Audit result", "in_state": "Time in state",
               "status": "Internal status"}
BULK_MAX = 500
_CHOICES_CACHE_SECONDS = 300


def _cached_distinct(column: str) -> list[str]:
    return cached(f"queue:distinct:{column}", lambda: queue_distinct(column), _CHOICES_CACHE_SECONDS)


def _code_choices(kind: str, current: str = ""):
    choices = ANY + codes.choices(kind)
    if current and current not in dict(choices):  # a code the table does not know yet
        choices.append((current, current))
    return choices


@lru_cache(maxsize=1)
def _sort_choices():
    out = []
    for key, label in SORT_LABELS.items():
        out += [(f"-{key}", f"{label}, newest / highest first"), (key, f"{label}, oldest / lowest first")]
    return out


@lru_cache(maxsize=1)
def _country_choices():
    # Static data: building and sorting ~250 pycountry entries cost a few ms on every page.
    return ANY + sorted(((country.alpha_2, f"{getattr(country, 'common_name', country.name)} ({country.alpha_2})")
                         for country in pycountry.countries), key=lambda choice: choice[1])


def _assignee_choices():
    reviewers = cached("queue:choices:reviewers", lambda: [
        (str(user.pk), user.get_full_name() or user.get_username()) for user in queue_reviewers()])
    return ANY + [("me", "Assigned to me"), ("none", "Unassigned")] + reviewers


class QueueFilterForm(forms.Form):
    """Every filter is optional; values that do not validate are ignored (and shown as errors)."""

    q = forms.CharField(label="Search", required=False, max_length=200,
                        help_text="Request number (prefix), company, business account or licence number")
    state = forms.CharField(label="State", required=False, max_length=32)
    audit_result = forms.CharField(label="Audit result", required=False, max_length=32)
    request_type = forms.CharField(label="Request type", required=False, max_length=64)
    industry = forms.CharField(label="Industry", required=False, max_length=128)
    country = forms.ChoiceField(label="Destination country", required=False, widget=FastSelect)
    cust_space_id = forms.CharField(label="Customer space", required=False, max_length=64)
    review_status = forms.ChoiceField(label="Internal status", required=False, choices=ANY + ReviewStatus.choices,
                                      widget=FastSelect)
    assignee = forms.ChoiceField(label="Assignee", required=False, widget=FastSelect)
    created_from = forms.DateField(label="Created from", required=False,
                                   widget=forms.DateInput(attrs={"type": "date"}))
    created_to = forms.DateField(label="Created to", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    sort = forms.ChoiceField(label="Sort by", required=False, widget=FastSelect)

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        data = data or {}
        for name, kind in (("state", "State"), ("audit_result", "AuditResult"), ("request_type", "RequestType")):
            self.fields[name].widget = FastSelect(choices=_code_choices(kind, data.get(name, "")))
        industries = _cached_distinct("industry")
        self.fields["industry"].widget = FastSelect(choices=ANY + [(value, value) for value in industries])
        self.fields["country"].choices = _country_choices()
        self.fields["assignee"].choices = _assignee_choices()
        self.fields["sort"].choices = _sort_choices()

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("created_from"), cleaned.get("created_to")
        if start and end and start > end:
            self.add_error("created_to", "The end date is before the start date.")
        return cleaned

    def filters(self) -> dict:
        """The valid filters (an invalid field is dropped rather than failing the whole page)."""
        self.is_valid()
        return {name: value for name, value in getattr(self, "cleaned_data", {}).items()
                if name != "sort" and name not in self.errors and value not in (None, "")}


class StatusForm(forms.Form):
    status = forms.ChoiceField(label="Internal status", choices=ReviewStatus.choices)
    note = forms.CharField(label="Note (required when resolving a rejected application)", required=False,
                           widget=forms.Textarea(attrs={"rows": 2}), max_length=5000)


class AssignForm(forms.Form):
    assignee = forms.ChoiceField(label="Assignee", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = [("", "Nobody")] + [
            (str(user.pk), user.get_full_name() or user.get_username()) for user in queue_reviewers()]


class NoteForm(forms.Form):
    note = forms.CharField(label="Note", widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)


_SEPARATORS = re.compile(r"[\s,;]+")


class BulkLookupForm(forms.Form):
    numbers = forms.CharField(label="Request numbers", widget=forms.Textarea(attrs={"rows": 8}),
                              help_text=f"Up to {BULK_MAX}, one per line or separated by commas or spaces.")
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
