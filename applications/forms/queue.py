"""The review queue's filter form (GET parameters) and the choices it offers."""

from datetime import date
from functools import lru_cache

import pycountry
from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator

from .. import codes
from ..models import ReviewStatus
from ..permissions import reviewer_choices
from ..queue_cache import cached
from ..selectors.queue import queue_distinct
from .widgets import FastSelect

ANY = [("", "Any")]
# Sort key -> (column label, wording of the ascending order, wording of the descending order);
# the wording fits the column: text A→Z, dates oldest/newest, time in state longest/shortest.
SORT_ORDERS = {
    "created": ("Created", "oldest first", "newest first"),
    "audited": ("Audited", "oldest first", "newest first"),
    "request_no": ("Request number", "0→9", "9→0"),
    "company": ("Company", "A→Z", "Z→A"),
    "state": ("State code", "A→Z", "Z→A"),
    "audit_result": ("Audit result code", "A→Z", "Z→A"),
    "in_state": ("Time in state", "longest first", "shortest first"),
    "status": ("Internal status", "A→Z", "Z→A"),
}
SORT_LABELS = {key: label for key, (label, _, _) in SORT_ORDERS.items()}


def sort_label(sort: str) -> str:
    """ "Company, A→Z" for ``company``, "Created, newest first" for ``-created``."""
    label, ascending, descending = SORT_ORDERS.get(sort.lstrip("-"), ("", "", ""))
    return f"{label}, {descending if sort.startswith('-') else ascending}" if label else ""


_CHOICES_CACHE_SECONDS = 300
# Dates a filter may name. The filter adds a day to the end date, so 9999-12-31 would overflow;
# nothing CAMS holds is older than 2000 or later than 2100.
DATE_RANGE = [
    MinValueValidator(date(2000, 1, 1), message="Pick a date from 2000-01-01 on."),
    MaxValueValidator(date(2100, 12, 31), message="Pick a date up to 2100-12-31."),
]


def _cached_distinct(column: str) -> list[str]:
    return cached(f"queue:distinct:{column}", lambda: queue_distinct(column), _CHOICES_CACHE_SECONDS)


def _code_choices(kind: str, current: str = ""):
    choices = ANY + codes.choices(kind)
    if current and current not in dict(choices):  # a code the table does not know yet
        choices.append((current, current))
    return choices


def _labelled(kind: str, code: str) -> tuple[str, str]:
    info = codes.describe(kind, code)
    return code, f"{info.label} ({code})" if info.known else code


@lru_cache(maxsize=1)
def _sort_choices():
    # Dates and time in state read best "newest"/"shortest" first; text columns A→Z first.
    out = []
    for key in SORT_ORDERS:
        pair = [f"-{key}", key] if key in ("created", "audited") else [key, f"-{key}"]
        out += [(sort, sort_label(sort)) for sort in pair]
    return out


@lru_cache(maxsize=1)
def _country_choices():
    # Static data: building and sorting ~250 pycountry entries cost a few ms on every page.
    return ANY + sorted(
        (
            (country.alpha_2, f"{getattr(country, 'common_name', country.name)} ({country.alpha_2})")
            for country in pycountry.countries
        ),
        key=lambda choice: choice[1],
    )


def _assignee_choices():
    reviewers = cached("queue:choices:reviewers", reviewer_choices)
    return ANY + [("me", "Assigned to me"), ("none", "Unassigned")] + reviewers


class QueueFilterForm(forms.Form):
    """Every filter is optional; values that do not validate are ignored (and shown as errors)."""

    q = forms.CharField(
        label="Search",
        required=False,
        max_length=200,
        help_text="Request number (prefix), company, business account or licence number",
    )
    state = forms.CharField(label="State", required=False, max_length=32)
    audit_result = forms.CharField(label="Audit result", required=False, max_length=32)
    request_type = forms.CharField(label="Request type", required=False, max_length=64)
    industry = forms.CharField(label="Industry", required=False, max_length=128)
    country = forms.ChoiceField(label="Destination country", required=False, widget=FastSelect)
    cust_space_id = forms.CharField(label="Customer space", required=False, max_length=64)
    review_status = forms.ChoiceField(
        label="Internal status", required=False, choices=ANY + ReviewStatus.choices, widget=FastSelect
    )
    assignee = forms.ChoiceField(label="Assignee", required=False, widget=FastSelect)
    watching = forms.ChoiceField(
        label="Watching", required=False, widget=FastSelect, choices=ANY + [("1", "Only applications I watch")]
    )
    created_from = forms.DateField(
        label="Created from", required=False, validators=DATE_RANGE, widget=forms.DateInput(attrs={"type": "date"})
    )
    created_to = forms.DateField(
        label="Created to", required=False, validators=DATE_RANGE, widget=forms.DateInput(attrs={"type": "date"})
    )
    sort = forms.ChoiceField(label="Sort by", required=False, widget=FastSelect)

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        data = data or {}
        for name, kind in (("state", "State"), ("audit_result", "AuditResult"), ("request_type", "RequestType")):
            self.fields[name].widget = FastSelect(choices=_code_choices(kind, data.get(name, "")))
        industries = _cached_distinct("industry")
        self.fields["industry"].widget = FastSelect(
            choices=ANY + [_labelled("IndustryInvolved", v) for v in industries]
        )
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
        return {
            name: value
            for name, value in getattr(self, "cleaned_data", {}).items()
            if name != "sort" and name not in self.errors and value not in (None, "")
        }
