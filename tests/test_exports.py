"""The CSV export: every column, and no cell a spreadsheet would run as a formula."""

import csv
import io

import pytest

from applications.exports.csv import csv_response, neutralise
from applications.models import ViberApplication
from tests.factories import make_application

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("value", ['=HYPERLINK("http://evil")', "+1+2", "-2+3", "@SUM(A1)", "\t=1", "\r=1"])
def test_cells_that_start_a_formula_are_neutralised(value):
    assert neutralise(value) == "'" + value


@pytest.mark.parametrize("value", ["Acme", "1+1", "a=b", ""])
def test_ordinary_cells_are_left_alone(value):
    assert neutralise(value) == value


def read_csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


def test_the_export_escapes_upstream_strings(settings):
    make_application(
        Reason="=cmd|' /C calc'!A0", audit_record={"CompanyEnglishName": "@evil", "CompanyLegalName": "-1"}
    )
    rows = read_csv(csv_response(ViberApplication.objects.all()))
    header, row = rows
    record = dict(zip(header, row, strict=True))
    assert record["Audit comment"] == "'=cmd|' /C calc'!A0"
    assert record["Company (English)"] == "'@evil"
    assert record["Company (legal)"] == "'-1"
    assert record["Request number"] == "5435435435"
    assert record["Internal status"] == "New"


# --- XLSX --------------------------------------------------------------------------------------

INJECTIONS = ['=HYPERLINK("http://evil")', "+1+2", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


def read_xlsx(response):
    from openpyxl import load_workbook

    body = b"".join(response.streaming_content)
    assert body[:2] == b"PK"  # a zip, as every XLSX
    return load_workbook(io.BytesIO(body)).active


def test_the_xlsx_export_has_the_csv_rows_and_no_formula():
    from applications.exports.xlsx import XLSX_CONTENT_TYPE, xlsx_response

    for number, value in enumerate(INJECTIONS, start=1):
        make_application(RequestNo=f"70{number}", Reason=value, audit_record={"CompanyEnglishName": value})
    make_application(RequestNo="799", Reason="Logo unclear", audit_record={"CompanyEnglishName": "Acme"})
    queryset = ViberApplication.objects.order_by("request_no")
    response = xlsx_response(queryset)
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert 'attachment; filename="applications-' in response["Content-Disposition"]
    sheet = read_xlsx(response)
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    csv_rows = read_csv(csv_response(queryset))
    assert rows[0] == csv_rows[0]
    header = rows[0]
    assert [row[0] for row in rows[1:]] == [row[0] for row in csv_rows[1:]] == [*(f"70{n}" for n in range(1, 7)), "799"]
    for row, value in zip(rows[1:-1], INJECTIONS, strict=True):  # the last row is "799"
        assert dict(zip(header, row, strict=True))["Audit comment"] == "'" + value.strip()  # stored stripped
    as_text = [
        [
            "" if value is None else value.strftime("%Y-%m-%d %H:%M:%S") if hasattr(value, "strftime") else value
            for value in row
        ]
        for row in rows
    ]
    assert as_text == csv_rows  # the same cells as the CSV
    assert dict(zip(header, rows[-1], strict=True))["Audit comment"] == "Logo unclear"
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert cells and not any(cell.data_type == "f" for cell in cells)
    assert not any(isinstance(cell.value, str) and cell.value.startswith(("=", "+", "-", "@")) for cell in cells)


def test_xlsx_cells_are_typed_as_strings_even_without_neutralising(monkeypatch):
    """The second guard alone: with neutralising off, "=..." must still not become a formula."""
    from applications.exports import xlsx as exports_xlsx

    monkeypatch.setattr(exports_xlsx, "neutralise", lambda value: "" if value is None else str(value))
    make_application(Reason="=1+1")
    buffer = io.BytesIO()
    exports_xlsx.write_workbook(ViberApplication.objects.all(), buffer)
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(buffer.getvalue())).active
    header = [cell.value for cell in sheet[1]]
    cell = sheet.cell(row=2, column=header.index("Audit comment") + 1)
    assert (cell.value, cell.data_type) == ("=1+1", "s")


def test_xlsx_dates_are_spreadsheet_dates_in_local_time(settings):
    from datetime import datetime

    from django.utils import timezone

    from applications.exports.xlsx import xlsx_response

    application = make_application()
    sheet = read_xlsx(xlsx_response(ViberApplication.objects.all()))
    header = [cell.value for cell in sheet[1]]
    created = sheet.cell(row=2, column=header.index("Created") + 1)
    assert isinstance(created.value, datetime) and created.value.tzinfo is None
    expected = timezone.localtime(application.gmt_create).replace(tzinfo=None, microsecond=0)
    assert created.value.replace(microsecond=0) == expected
