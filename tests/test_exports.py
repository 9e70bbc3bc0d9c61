"""The CSV export: every column, and no cell a spreadsheet would run as a formula."""
import csv
import io

import pytest

from applications.exports import csv_response, neutralise
from applications.models import ViberApplication
from tests.factories import make_application

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("value", ["=HYPERLINK(\"http://evil\")", "+1+2", "-2+3", "@SUM(A1)", "\t=1", "\r=1"])
def test_cells_that_start_a_formula_are_neutralised(value):
    assert neutralise(value) == "'" + value


@pytest.mark.parametrize("value", ["Acme", "1+1", "a=b", "", "  =x"])
def test_ordinary_cells_are_left_alone(value):
    assert neutralise(value) == value


def read_csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


def test_the_export_escapes_upstream_strings(settings):
    make_application(Reason="=cmd|' /C calc'!A0", audit_record={"CompanyEnglishName": "@evil", "CompanyLegalName": "-1"})
    rows = read_csv(csv_response(ViberApplication.objects.all()))
    header, row = rows
    record = dict(zip(header, row))
    assert record["Audit comment"] == "'=cmd|' /C calc'!A0"
    assert record["Company (English)"] == "'@evil"
    assert record["Company (legal)"] == "'-1"
    assert record["Request number"] == "5435435435"
    assert record["Internal status"] == "New"
