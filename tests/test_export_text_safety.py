"""Export cells that a spreadsheet would still run as formulas after skipping whitespace, and
bidi control characters shown as visible markers (exports and the template filter)."""

import csv
import io

import pytest
from django.template import Context, Template

from applications.exports.csv import csv_response, neutralise
from applications.models import ViberApplication
from applications.textsafety import BIDI_CONTROLS, has_bidi, mark_bidi
from tests.factories import make_application

RLO = "\u202e"


@pytest.mark.parametrize(
    "value",
    [
        " =1+1",
        "  =x",
        "\n=1",
        "\r\n+1",
        " \t@SUM(A1)",
        "\u00a0-2",
        "\u3000=1",  # ideographic space
        '\uff1dHYPERLINK("http://evil")',
        " \uff1d1",
        "\uff0b1",
        "\uff0d1",
        "\uff20SUM(A1)",
        "\u200b=1",
        " \ufeff =1",
        "\tabc",
    ],
)
def test_a_formula_behind_whitespace_or_in_full_width_is_neutralised(value):
    assert neutralise(value) == "'" + value


@pytest.mark.parametrize("value", ["a =b", "x\n=1", "1+1", "Acme (=)", "[=]", "\u00e9=1"])
def test_a_formula_character_later_in_the_cell_is_left_alone(value):
    assert neutralise(value) == value


@pytest.mark.parametrize("char", sorted(BIDI_CONTROLS))
def test_every_bidi_control_is_shown_as_a_visible_marker(char):
    marked = mark_bidi(f"abc{char}def")
    assert marked == f"abc[U+{ord(char):04X}]def"
    assert not has_bidi(marked) and has_bidi(f"abc{char}def")


def test_the_listed_bidi_controls_are_all_there():
    expected = {*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C}
    assert {ord(char) for char in BIDI_CONTROLS} == expected


def test_ordinary_right_to_left_text_is_not_marked():
    assert mark_bidi("שלום مرحبا") == "שלום مرحبا"
    assert mark_bidi("") == ""


def test_a_cell_is_marked_before_it_is_checked_for_formulas():
    assert neutralise(f"{RLO}=1") == "[U+202E]=1"  # no longer starts a formula: it starts with "["
    assert neutralise(f"=1{RLO}") == "'=1[U+202E]"


@pytest.mark.django_db
def test_the_csv_and_xlsx_exports_show_bidi_controls_marked():
    from openpyxl import load_workbook

    from applications.exports.xlsx import xlsx_response

    make_application(Reason=f"ok{RLO}txt.exe", audit_record={"CompanyEnglishName": "Acme\u2067moc.evil\u2069"})
    queryset = ViberApplication.objects.all()
    body = b"".join(csv_response(queryset).streaming_content).decode("utf-8")
    header, row = list(csv.reader(io.StringIO(body[1:])))
    record = dict(zip(header, row, strict=True))
    assert record["Audit comment"] == "ok[U+202E]txt.exe"
    assert record["Company (English)"] == "Acme[U+2067]moc.evil[U+2069]"
    assert not has_bidi(body)

    sheet = load_workbook(io.BytesIO(b"".join(xlsx_response(queryset).streaming_content))).active
    values = [cell.value for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)]
    assert "ok[U+202E]txt.exe" in values
    assert not any(has_bidi(value) for value in values)


def render(template, **context):
    return Template("{% load safety %}" + template).render(Context(context))


def test_the_template_filter_escapes_then_marks():
    assert render("{{ v|mark_bidi }}", v=f"<b>{RLO}</b>") == "&lt;b&gt;[U+202E]&lt;/b&gt;"
    assert render("{{ v|mark_bidi }}", v=None) == ""
    assert render("{% autoescape off %}{{ v|mark_bidi }}{% endautoescape %}", v=f"<i>{RLO}") == "<i>[U+202E]"
