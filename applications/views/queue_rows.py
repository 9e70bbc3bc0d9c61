"""The review queue's table rows, built with string formatting instead of the template engine.

Fifty rows of twelve cells through Django templates cost more than the page's queries: every
``{{ }}`` resolves lookups, lazy translations and filters one by one. The same markup built here
is several times cheaper. It keeps the template's rules: every upstream string is escaped and
its bidi controls marked (``mark_bidi``), words come from the catalogs, times are shown in the
reader's time zone. tests/test_queue_rows.py checks the markup against the template it replaced.
"""

from django.utils import timezone
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext

from .. import codes
from ..models import ReviewStatus
from ..templatetags.display import in_state_for, in_state_label
from ..textsafety import mark_bidi

REASON_CHARS = 80


def queue_rows_html(rows) -> SafeString:
    """``<tr>`` for each application of the page, in the queue's column order."""
    words = {
        "not_sent": conditional_escape(gettext("not sent")),
        "no_label": conditional_escape(gettext("(no label)")),
        "space": gettext("space %(space)s"),
        # Labels looked up once per page, not per row: a page repeats a handful of codes.
        "status": {value: str(label) for value, label in ReviewStatus.choices},
        "codes": _CodeMemo(),
    }
    # Each piece below is escaped (_text, _bidi) or built from escaped pieces.
    return mark_safe("".join(_row(app, words) for app in rows))  # noqa: S308


class _CodeMemo(dict):
    def __missing__(self, key):
        kind, code = key
        self[key] = info = codes.describe(kind, code)
        return info


def _row(app, words) -> str:
    memo = words["codes"]
    number = f'<a class="request-no" href="{_text(app.get_absolute_url())}">{_text(app.request_no)}</a>'
    if app.cust_space_id:
        space = words["space"] % {"space": _bidi(app.cust_space_id)}
        number += f' <span class="muted small">{space}</span>'
    company = app.company_english_name or app.company_legal_name or "—"
    cells = (
        f'<td class="nowrap">{number}</td>',
        f"<td>{_bidi(company)}</td>",
        f"<td>{_bidi(app.business_account_name or '—')}</td>",
        f"<td>{_code(memo['RequestType', app.request_type], words)}</td>",
        f'<td class="nowrap">{_badge(memo["State", app.state])}</td>',
        f'<td class="nowrap">{_badge(memo["AuditResult", app.audit_result])}</td>',
        f'<td class="reason">{_bidi(Truncator(app.reason).chars(REASON_CHARS) if app.reason else "—")}</td>',
        f'<td class="nowrap">{_time(app.gmt_create)}</td>',
        f'<td class="nowrap">{_time(app.audit_time)}</td>',
        f'<td class="nowrap"><span class="in-state" title="{_text(in_state_label(app))}">'
        f"{_text(in_state_for(app))}</span></td>",
        f"<td>{_text(words['status'].get(app.review_status, app.review_status))}</td>",
        f"<td>{_assignee(app.assignee)}</td>",
    )
    return "<tr>" + "".join(cells) + "</tr>"


def _text(value) -> str:
    return str(conditional_escape(value))


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


def _time(value) -> str:
    if value is None:
        return "—"
    local = timezone.localtime(value)
    return f'<time datetime="{local.isoformat()}">{local:%Y-%m-%d %H:%M}</time>'


def _assignee(user) -> str:
    if user is None:
        return '<span class="muted">—</span>'
    return _text(user.get_full_name() or user.username)
