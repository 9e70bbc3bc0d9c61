"""The queue filter form's text and date inputs render what Django's own widgets render (they only
skip the template engine), hostile values included."""

from datetime import date

import pytest
from bs4 import BeautifulSoup
from django import forms

from applications.forms.queue import QueueFilterForm

HOSTILE = '"><script>alert(1)</script>\u202e&amp;'


class DjangoForm(forms.Form):
    """The same fields with Django's stock widgets."""

    q = forms.CharField(required=False, max_length=200, help_text="help")
    cust_space_id = forms.CharField(required=False, max_length=64)
    created_from = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))


def _input(markup):
    element = BeautifulSoup(str(markup), "html.parser").select_one("input")
    return element.name, dict(element.attrs)


@pytest.mark.parametrize(
    "data",
    [{}, {"q": HOSTILE, "cust_space_id": "a'b", "created_from": "2025-03-01"}, {"created_from": "not a date"}],
)
def test_the_fast_inputs_render_as_djangos(data, db):
    ours, theirs = QueueFilterForm(data), DjangoForm(data)
    ours.is_valid(), theirs.is_valid()
    ours.fields["q"].help_text = "help"
    for name in ("q", "cust_space_id", "created_from"):
        assert _input(ours[name]) == _input(theirs[name]), name
    assert "<script>" not in str(ours["q"])


def test_an_initial_date_is_shown_in_iso_form(db):
    form = QueueFilterForm(initial={"created_from": date(2025, 3, 1)})
    assert _input(form["created_from"])[1]["value"] == "2025-03-01"
