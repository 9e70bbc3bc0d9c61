"""The review queue's table rows, built with string formatting instead of the template engine.

Fifty rows of twelve cells through Django templates cost more than the page's queries: every
``{{ }}`` resolves lookups, lazy translations and filters one by one. The same markup built here
is several times cheaper. It keeps the template's rules: every upstream string is escaped and
its bidi controls marked (``mark_bidi``), words come from the catalogs, times are shown in the
reader's time zone. tests/test_queue_rows.py checks the markup against the template it replaced.
"""

import html
import re
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.timesince import timesince
from django.utils.translation import gettext

from .. import codes, state_time
from ..models import ReviewStatus
from ..textsafety import mark_bidi

REASON_CHARS = 80
# Request numbers that reverse() puts in the path as they are (no quoting, no dots): their link
# is the detail address built once per page; any other goes through get_absolute_url.
_PLAIN_PATH = re.compile(r"[A-Za-z0-9_-]+")


def queue_rows_html(rows) -> SafeString:
    """``<tr>`` for each application of the page, in the queue's column order."""
    words = {
        "not_sent": _text(gettext("not sent")),
        "no_label": _text(gettext("(no label)")),
        "space": gettext("space %(space)s"),
        # Labels and cells looked up once per page, not per row: a page repeats a handful of codes.
        "status": {value: _text(label) for value, label in ReviewStatus.choices},
        "zone": timezone.get_current_timezone(),
        "now": timezone.now(),
        "detail": _detail_template(),
    }
    words["codes"] = _CodeMemo(words)
    # Each piece below is escaped (_text, _bidi) or built from escaped pieces.
    return mark_safe("".join(_row(app, words) for app in rows))  # noqa: S308


class _CodeMemo(dict):
    """(kind, code) -> its cell markup: the badge for State and AuditResult, else the labelled code."""

    def __init__(self, words):
        super().__init__()
        self.words = words

    def __missing__(self, key):
        kind, code = key
        info = codes.describe(kind, code)
        self[key] = markup = _badge(info) if kind in ("State", "AuditResult") else _code(info, self.words)
        return markup


def _detail_template() -> tuple[str, str]:
    """The detail address split around its request number, e.g. ("/applications/", "/")."""
    head, _, tail = reverse("applications:detail", args=["0"]).rpartition("0")
    return head, tail


def _url(app, template) -> str:
    """``app.get_absolute_url()`` (models.application_url), escaped, without a reverse() per row."""
    if not _PLAIN_PATH.fullmatch(app.request_no):
        return _text(app.get_absolute_url())
    url = f"{template[0]}{app.request_no}{template[1]}"
    return _text(f"{url}?{urlencode({'cust_space_id': app.cust_space_id})}") if app.cust_space_id else url


def _row(app, words) -> str:
    memo = words["codes"]
    zone = words["zone"]
    number = f'<a class="request-no" href="{_url(app, words["detail"])}">{_text(app.request_no)}</a>'
    if app.cust_space_id:
        space = words["space"] % {"space": _bidi(app.cust_space_id)}
        number += f' <span class="muted small">{space}</span>'
    company = app.company_english_name or app.company_legal_name or "—"
    cells = (
        f'<td class="nowrap">{number}</td>',
        f"<td>{_bidi(company)}</td>",
        f"<td>{_bidi(app.business_account_name or '—')}</td>",
        f"<td>{memo['RequestType', app.request_type]}</td>",
        f'<td class="nowrap">{memo["State", app.state]}</td>',
        f'<td class="nowrap">{memo["AuditResult", app.audit_result]}</td>',
        f'<td class="reason">{_bidi(Truncator(app.reason).chars(REASON_CHARS) if app.reason else "—")}</td>',
        f'<td class="nowrap">{_time(app.gmt_create, zone)}</td>',
        f'<td class="nowrap">{_time(app.audit_time, zone)}</td>',
        f'<td class="nowrap"><span class="in-state" title="{_text(_in_state_label(app, zone))}">'
        f"{_text(_in_state_for(app, words['now']))}</span></td>",
        f"<td>{words['status'].get(app.review_status) or _text(app.review_status)}</td>",
        f"<td>{_assignee(app.assignee)}</td>",
    )
    return "<tr>" + "".join(cells) + "</tr>"


def _in_state_label(app, zone) -> str:
    """templatetags.display.in_state_label, with the reader's zone looked up once per page."""

    def fmt(value):  # display._fmt: "2025-08-29 09:10 UTC"
        local = value.astimezone(zone)
        return f"{local:%Y-%m-%d %H:%M} {local.tzname() or ''}".rstrip()

    return state_time.describe(app.state_since_info, first_seen=app.created_at, fmt=fmt)


def _in_state_for(app, now) -> str:
    """templatetags.display.in_state_for, measured to one "now" for the whole page."""
    since = app.state_since_info
    if since.at is None:
        return "—"
    text = timesince(since.at, now)
    return text if since.exact else f"≥ {text}"


def _text(value) -> str:
    """conditional_escape without its lazy-object wrapper (a tenth of the page's time at 50 rows):
    markup already safe stays as it is, anything else is escaped exactly as django.utils.html.escape."""
    if hasattr(value, "__html__"):
        return str(value.__html__())
    return html.escape(str(value))


def _bidi(value) -> str:
    return mark_bidi(_text(value))


def _code(info, words) -> str:
    """Like templates/applications/_code.html: the label with the raw code, or the code alone."""
    if info.known:
        return f'{_text(info.label)} <span class="code-raw">{_bidi(info.code)}</span>'
    if info.code:
        return f'<code>{_bidi(info.code)}</code> <span class="note">{words["no_label"]}</span>'
    return f'<span class="missing" title="{words["not_sent"]}">—</span>'


def _badge(info) -> str:
    return f'<span class="badge badge-{_text(info.tone)}">{_text(info.label)}</span>'


def _time(value, zone) -> str:
    if value is None:
        return "—"
    local = value.astimezone(zone)  # timezone.localtime, with the zone looked up once per page
    return f'<time datetime="{local.isoformat()}">{local:%Y-%m-%d %H:%M}</time>'


def _assignee(user) -> str:
    if user is None:
        return '<span class="muted">—</span>'
    return _text(user.get_full_name() or user.username)
