"""The review queue's filter form (GET parameters) and the choices it offers."""

import html
from datetime import date
from functools import lru_cache

import pycountry
from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.forms.utils import flatatt
from django.utils.choices import BaseChoiceIterator, normalize_choices
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .. import codes
from ..models import ReviewStatus
from ..permissions import reviewer_choices
from ..queue_cache import cached
from ..selectors.queue import queue_distinct
from .widgets import FastSelect

ANY = [("", _("Any"))]
# Sort key -> (column label, wording of the ascending order, wording of the descending order);
# the wording fits the column: text A→Z, dates oldest/newest, time in state longest/shortest.
SORT_ORDERS = {
    "created": (_("Created"), _("oldest first"), _("newest first")),
    "audited": (_("Audited"), _("oldest first"), _("newest first")),
    "request_no": (_("Request number"), "0→9", "9→0"),
    "company": (_("Company"), "A→Z", "Z→A"),
    "state": (_("State code"), "A→Z", "Z→A"),
    "audit_result": (_("Audit result code"), "A→Z", "Z→A"),
    "in_state": (_("Time in state"), _("longest first"), _("shortest first")),
    "status": (_("Internal status"), "A→Z", "Z→A"),
}
SORT_LABELS = {key: label for key, (label, _, _) in SORT_ORDERS.items()}


def sort_label(sort: str) -> str:
    """ "Company, A→Z" for ``company``, "Created, newest first" for ``-created``."""
    label, ascending, descending = SORT_ORDERS.get(sort.lstrip("-"), ("", "", ""))
    if not label:
        return ""
    # Translators: a sort order, e.g. "Created, newest first".
    return gettext("%(column)s, %(order)s") % {
        "column": label,
        "order": descending if sort.startswith("-") else ascending,
    }


_CHOICES_CACHE_SECONDS = 300
# Dates a filter may name. The filter adds a day to the end date, so 9999-12-31 would overflow;
# nothing CAMS holds is older than 2000 or later than 2100.
DATE_RANGE = [
    MinValueValidator(date(2000, 1, 1), message=_("Pick a date from 2000-01-01 on.")),
    MaxValueValidator(date(2100, 12, 31), message=_("Pick a date up to 2100-12-31.")),
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


def _sort_choices():
    # Dates and time in state read best "newest"/"shortest" first; text columns A→Z first.
    # Built per form (not cached): the wording follows the reader's language.
    out = []
    for key in SORT_ORDERS:
        pair = [f"-{key}", key] if key in ("created", "audited") else [key, f"-{key}"]
        out += [(sort, sort_label(sort)) for sort in pair]
    return out


class _Prepared(BaseChoiceIterator):
    """Choices built once, in normalised form: a ChoiceField and its widget take a choice
    iterator as it is, where a list is normalised twice per form (500 entries for the countries)."""

    def __init__(self, choices: list):
        self.choices = choices

    def __iter__(self):
        return iter(self.choices)


@lru_cache(maxsize=1)
def _country_choices():
    # Static data: building and sorting ~250 pycountry entries cost a few ms on every page. Kept
    # escaped (SafeString), so FastSelect does not escape the same 500 strings on every page.
    countries = sorted(
        (
            (country.alpha_2, f"{getattr(country, 'common_name', country.name)} ({country.alpha_2})")
            for country in pycountry.countries
        ),
        key=lambda choice: choice[1],
    )
    escaped = [(SafeString(html.escape(code)), SafeString(html.escape(label))) for code, label in countries]
    return _Prepared(normalize_choices(ANY + escaped))


class _FastInput:
    """An ``<input>`` with Django's markup (type, name, value when there is one, attrs) built without
    its two templates, as FastSelect does for selects: four inputs cost a tenth of the page."""

    def render(self, name, value, attrs=None, renderer=None):
        value = self.format_value(value)
        shown = "" if value is None else f' value="{html.escape(str(value))}"'
        final_attrs = flatatt(self.build_attrs(self.attrs, attrs))
        # name and value are escaped here, the attributes by flatatt.
        return mark_safe(
            f'<input type="{html.escape(self.input_type)}" name="{html.escape(name)}"{shown}{final_attrs}>'
        )  # noqa: S308


class _FastTextInput(_FastInput, forms.TextInput):
    pass


class _FastDateInput(_FastInput, forms.DateInput):
    pass


def _assignee_choices():
    return ANY + [("me", _("Assigned to me")), ("none", _("Unassigned"))] + reviewer_choices()


class QueueFilterForm(forms.Form):
    """Every filter is optional; values that do not validate are ignored (and shown as errors)."""

    q = forms.CharField(
        widget=_FastTextInput,
        label=_("Search"),
        required=False,
        max_length=200,
        help_text=_("Request number (prefix), company, business account or licence number"),
    )
    state = forms.CharField(label=_("State"), required=False, max_length=32)
    audit_result = forms.CharField(label=_("Audit result"), required=False, max_length=32)
    request_type = forms.CharField(label=_("Request type"), required=False, max_length=64)
    industry = forms.CharField(label=_("Industry"), required=False, max_length=128)
    country = forms.ChoiceField(label=_("Destination country"), required=False, widget=FastSelect)
    cust_space_id = forms.CharField(label=_("Customer space"), required=False, max_length=64, widget=_FastTextInput)
    review_status = forms.ChoiceField(
        label=_("Internal status"), required=False, choices=ANY + ReviewStatus.choices, widget=FastSelect
    )
    assignee = forms.ChoiceField(label=_("Assignee"), required=False, widget=FastSelect)
    watching = forms.ChoiceField(
        label=_("Watching"), required=False, widget=FastSelect, choices=ANY + [("1", _("Only applications I watch"))]
    )
    created_from = forms.DateField(
        label=_("Created from"), required=False, validators=DATE_RANGE, widget=_FastDateInput(attrs={"type": "date"})
    )
    created_to = forms.DateField(
        label=_("Created to"), required=False, validators=DATE_RANGE, widget=_FastDateInput(attrs={"type": "date"})
    )
    sort = forms.ChoiceField(label=_("Sort by"), required=False, widget=FastSelect)

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
            self.add_error("created_to", gettext("The end date is before the start date."))
        return cleaned

    def filters(self) -> dict:
        """The valid filters (an invalid field is dropped rather than failing the whole page)."""
        self.is_valid()
        return {
            name: value
            for name, value in getattr(self, "cleaned_data", {}).items()
            if name != "sort" and name not in self.errors and value not in (None, "")
        }
