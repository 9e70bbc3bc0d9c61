"""Spreadsheet export of applications (the review queue's "Download CSV", admin actions; XLSX in exports_xlsx).

Every cell goes through ``neutralise``: upstream strings (company names, reasons) are written by
customers, and a cell starting with ``=``, ``+``, ``-`` or ``@`` would run as a formula when the
file is opened. Spreadsheet programs skip leading whitespace and line breaks before deciding, and
some read the full-width forms (``＝``, ``＋``, ``－``, ``＠``) as the ASCII ones, so those count too;
a leading tab or carriage return is neutralised whatever follows. Such cells get a leading
apostrophe, the convention spreadsheet programs show as text.

Bidi control characters are shown as visible markers (``textsafety.mark_bidi``), so a cell reads
in the file as it was sent, not reordered.

# Reference: https://owasp.org/www-community/attacks/CSV_Injection
"""

import csv
import itertools
import re
from collections.abc import Iterable, Iterator
from datetime import datetime

from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import codes
from ..textsafety import mark_bidi

FORMULA_STARTS = "=+-@\uff1d\uff0b\uff0d\uff20"  # ASCII, then full-width ＝＋－＠
ALWAYS_NEUTRALISED_STARTS = ("\t", "\r")
# Any whitespace or line break (\s is Unicode-aware), and the zero-width characters a spreadsheet
# program may skip the same way, before a formula start.
_FORMULA = re.compile(r"[\s\u200b\u2060\ufeff]*[" + re.escape(FORMULA_STARTS) + "]")

# (header, function of the application) in file order.
COLUMNS = (
    (_("Request number"), lambda a: a.request_no),
    (_("Customer space"), lambda a: a.cust_space_id),
    (_("Company (English)"), lambda a: a.company_english_name),
    (_("Company (legal)"), lambda a: a.company_legal_name),
    (_("Business account"), lambda a: a.business_account_name),
    (_("Request type"), lambda a: codes.describe("RequestType", a.request_type).label),
    (_("State"), lambda a: codes.describe("State", a.state).label),
    (_("State code"), lambda a: a.state),
    (_("Audit result"), lambda a: codes.describe("AuditResult", a.audit_result).label),
    (_("Audit result code"), lambda a: a.audit_result),
    (_("Audit comment"), lambda a: a.reason),
    (_("Industry"), lambda a: a.industry),
    (_("Created"), lambda a: a.gmt_create),
    (_("Audited"), lambda a: a.audit_time),
    (_("State changed"), lambda a: a.state_changed_at),
    (_("In this status since"), lambda a: a.state_since),
    (_("In this status since: basis"), lambda a: a.state_since_basis),
    (_("Internal status"), lambda a: a.get_review_status_display()),
    (_("Assignee"), lambda a: a.assignee.get_username() if a.assignee_id else ""),
    (_("Fetched"), lambda a: a.fetched_at),
)
_FIELDS = (
    "request_no",
    "cust_space_id",
    "company_english_name",
    "company_legal_name",
    "business_account_name",
    "request_type",
    "state",
    "audit_result",
    "reason",
    "industry",
    "gmt_create",
    "audit_time",
    "state_changed_at",
    "state_since",
    "state_since_basis",
    "review_status",
    "assignee",
    "fetched_at",
)


def neutralise(value) -> str:
    """A cell as text that no spreadsheet program evaluates as a formula, bidi controls marked."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return (
            timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S") if timezone.is_aware(value) else value.isoformat()
        )
    text = mark_bidi(str(value))
    if text.startswith(ALWAYS_NEUTRALISED_STARTS) or _FORMULA.match(text):
        return "'" + text
    return text


def export_queryset(queryset) -> Iterator:
    """The applications of ``queryset`` with only the exported columns (streams; constant memory)."""
    rows = queryset.select_related("assignee").only(*_FIELDS, "assignee__username")
    return rows.iterator(chunk_size=2000)


def export_rows(queryset) -> Iterator[list[str]]:
    """The header (in the reader's language), then one neutralised row per application."""
    # Translated now, while the request's language is active: a streamed body is written after
    # the view (and its middleware) returned.
    header = [str(title) for title, _ in COLUMNS]
    return itertools.chain([header], _application_rows(queryset))


def _application_rows(queryset) -> Iterator[list[str]]:
    for application in export_queryset(queryset):
        yield [neutralise(getter(application)) for _, getter in COLUMNS]


class _Echo:
    def write(self, value):
        return value


def _csv_lines(rows: Iterable[list[str]]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # BOM: spreadsheet programs then read the file as UTF-8
    for row in rows:
        yield writer.writerow(row)


def export_filename(stem: str = "applications", extension: str = "csv") -> str:
    return f"{stem}-{timezone.localtime():%Y%m%d-%H%M%S}.{extension}"


def csv_response(queryset, *, filename: str | None = None) -> StreamingHttpResponse:
    """A streamed CSV download of ``queryset`` (any ViberApplication queryset, filters kept)."""
    response = StreamingHttpResponse(_csv_lines(export_rows(queryset)), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename or export_filename()}"'
    return response


# The bulk lookup's results: one row per pasted entry, with what it found.
BULK_COLUMNS = (
    (_("Position"), lambda item: item.position + 1),
    (_("Request number"), lambda item: item.request_no),
    (_("Result"), lambda item: item.get_outcome_display()),
    (_("Company"), lambda item: _company(item.application)),
    (_("State"), lambda item: codes.describe("State", item.application.state).label if item.application else ""),
    (_("State code"), lambda item: item.application.state if item.application else ""),
    (
        _("Audit result"),
        lambda item: codes.describe("AuditResult", item.application.audit_result).label if item.application else "",
    ),
    (_("Audit result code"), lambda item: item.application.audit_result if item.application else ""),
    (_("Detail"), lambda item: item.detail),  # worded by the view (services.bulk_lookup.bulk_item_detail)
    (_("Error code"), lambda item: item.error_code),
)


def _company(application) -> str:
    if application is None:
        return ""
    return application.company_english_name or application.company_legal_name


def bulk_results_csv(*, bulk, items) -> StreamingHttpResponse:
    rows = [[str(title) for title, _ in BULK_COLUMNS]]
    rows += [[neutralise(getter(item)) for _, getter in BULK_COLUMNS] for item in items]
    response = StreamingHttpResponse(_csv_lines(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{export_filename(f"bulk-lookup-{bulk.pk}")}"'
    return response
