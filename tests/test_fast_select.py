"""FastSelect renders what Django's Select renders (it only skips the template engine)."""

import re

import pytest
from bs4 import BeautifulSoup
from django import forms
from django.utils.safestring import mark_safe

from applications.forms.widgets import FastSelect

CHOICES = [
    ("", "Any"),
    ("a", 'A & <b>"quoted"</b>'),
    (1, "one"),
    ("group <g>", [("x", "X"), ("1", "a second 1")]),
    (None, mark_safe("<i>already safe</i>")),
]


def _options(markup):
    soup = BeautifulSoup(markup, "html.parser")
    select = soup.select_one("select")
    options = [
        (option.parent.get("label") if option.parent.name == "optgroup" else None, option["value"], option.decode())
        for option in select.select("option")
    ]
    return dict(select.attrs), options


@pytest.mark.parametrize("value", ["a", 1, "1", None, "", "missing", '"><script>'])
def test_fast_select_matches_djangos_select(value):
    attrs = {"id": "id_n", "aria-invalid": "true", "required": True}
    expected = forms.Select(choices=CHOICES).render("n", value, attrs=attrs)
    fast = FastSelect(choices=CHOICES).render("n", value, attrs=attrs)
    assert _options(fast) == _options(expected)
    assert re.sub(r"\s+", "", str(fast)).count("<option") == len(CHOICES) + 1
