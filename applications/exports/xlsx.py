"""XLSX download of applications: the same rows and columns as the CSV export (exports.py).

Formula injection is blocked twice. Every text cell goes through ``exports.neutralise`` (a
leading apostrophe before a formula start, bidi controls marked), as in the CSV; and every text cell
is also typed as a string (``data_type = "s"``), because openpyxl otherwise stores a string that
starts with ``=`` as a formula. Dates stay real spreadsheet dates (local time: the XLSX format
has no time zones), which is what an XLSX is for over a CSV; they cannot hold a formula.

The workbook is built with ``write_only=True`` (rows go straight to a temporary file, constant
memory) and the finished file is streamed in blocks by ``FileResponse``: XLSX is a zip whose
directory comes last, so it cannot be sent before it is complete.

# Reference: https://openpyxl.readthedocs.io/en/stable/optimized.html
"""

import tempfile
from datetime import datetime

from django.http import FileResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from .csv import COLUMNS, export_filename, export_queryset, neutralise

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMAT = "yyyy-mm-dd hh:mm:ss"
_COLUMN_WIDTHS = {"Company (English)": 32, "Company (legal)": 32, "Audit comment": 40}


def _cell(sheet, value, *, bold: bool = False) -> WriteOnlyCell:
    if isinstance(value, datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        cell = WriteOnlyCell(sheet, value=local.replace(tzinfo=None))
        cell.number_format = DATE_FORMAT
        return cell
    cell = WriteOnlyCell(sheet, value=neutralise(value))
    cell.data_type = "s"  # never "f" (formula), whatever the text looks like
    if bold:
        cell.font = Font(bold=True)
    return cell


def write_workbook(queryset, target) -> None:
    """Write ``queryset`` (any ViberApplication queryset) as a one-sheet workbook to ``target``."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Applications")
    for index, (header, _) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = _COLUMN_WIDTHS.get(header, 18)
    sheet.freeze_panes = "A2"
    sheet.append([_cell(sheet, header, bold=True) for header, _ in COLUMNS])
    for application in export_queryset(queryset):
        sheet.append([_cell(sheet, getter(application)) for _, getter in COLUMNS])
    workbook.save(target)


def xlsx_response(queryset, *, filename: str | None = None) -> FileResponse:
    """A download of ``queryset`` as XLSX (filters and order of the queryset kept)."""
    spool = tempfile.TemporaryFile()  # closed by FileResponse once sent
    write_workbook(queryset, spool)
    spool.seek(0)
    return FileResponse(
        spool,
        as_attachment=True,
        filename=filename or export_filename(extension="xlsx"),
        content_type=XLSX_CONTENT_TYPE,
    )
