"""The parts of the application page that change only when a fetch or a review action stores something.

Every CAMS field, the timeline, the snapshot diffs, the raw JSON and the review log are most of
the page's rendering cost, yet they change only with the stored copy, not per request: they are
rendered once per content hash (the fields), per fetch (the history) or per review change (the
log), per language and time zone, and kept in the cache. The key also carries a digest of the
templates and code that render them and of the code table, so a deploy or an edited code label
renders afresh instead of serving old markup. Nothing cached here may depend on the request or
the user (no CSRF token, no forms).
"""

import hashlib
from functools import cache as memoize
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from ..selectors.review import review_log_list
from .presenters import detail_context, history_context

CONTENT_TEMPLATE = "applications/_cams_content.html"
REVIEW_LOG_TEMPLATE = "applications/_review_log.html"
REVIEW_LOG_LIMIT = 100
HISTORY_TEMPLATES = {
    "timeline": "applications/_timeline.html",
    "diffs": "applications/_snapshot_diffs.html",
    "raw": "applications/_raw_json.html",
}
# Long: a key names its content, so an entry is never wrong, only unused once the content moves on.
FRAGMENT_SECONDS = 7 * 24 * 3600

_APP_DIR = Path(__file__).resolve().parent.parent


def application_content(application) -> SafeString:
    """The CAMS sections, destinations, logos, tables and unknown fields of the stored copy."""
    # An application stored before content hashes existed is keyed by its fetch instead.
    identity = application.content_hash or f"{application.pk}@{_stamp(application.fetched_at)}"
    return _cached(("content", identity), lambda: render_to_string(CONTENT_TEMPLATE, detail_context(application)))


def application_history(application) -> dict[str, SafeString]:
    """Timeline, snapshot diffs and raw JSON: snapshots and events are written only by a fetch."""
    identity = f"{application.pk}@{_stamp(application.fetched_at)}@{application.content_hash}"

    def render():
        context = history_context(application)
        return {name: render_to_string(template, context) for name, template in HISTORY_TEMPLATES.items()}

    return _cached(("history", identity), render)


def application_review_log(application) -> SafeString:
    """The review log table: every review action stamps ``review_updated_at``, so that names it."""
    identity = f"{application.pk}@{_stamp(application.review_updated_at)}"

    def render():
        entries = review_log_list(application=application, limit=REVIEW_LOG_LIMIT)
        return render_to_string(REVIEW_LOG_TEMPLATE, {"review_log": entries})

    return _cached(("review-log", identity), render)


def _cached(parts, render):
    if settings.DEBUG:  # templates are edited while the development server runs: render every time
        return _safe(render())
    key = "fragment:" + _digest(
        *parts, translation.get_language() or "", timezone.get_current_timezone_name(), _code_digest()
    )
    # The cache stores plain strings; they were escaped when rendered, so they are marked safe again.
    rendered = cache.get(key)
    if rendered is None:
        rendered = render()
        cache.set(key, _plain(rendered), FRAGMENT_SECONDS)
    return _safe(rendered)


def _plain(rendered):
    return {name: str(part) for name, part in rendered.items()} if isinstance(rendered, dict) else str(rendered)


def _safe(rendered):
    if isinstance(rendered, dict):
        return {name: mark_safe(part) for name, part in rendered.items()}  # noqa: S308 - rendered by our templates
    return mark_safe(rendered)  # noqa: S308 - rendered by our templates


def _stamp(moment) -> str:
    return moment.isoformat() if moment else "-"


def _code_digest() -> str:
    # Per call, not per process: the code table is a setting an operator (or a test) can change.
    return _digest(_source_digest(), repr(settings.CAMS_CODE_TABLE))


@memoize
def _source_digest() -> str:
    """What renders a fragment: the templates, the presenters and template tags (read once per process)."""
    files = sorted(
        [
            *(_APP_DIR.parent / "templates" / "applications").glob("*.html"),
            *(_APP_DIR / "templatetags").glob("*.py"),
            *(_APP_DIR / "views").glob("*presenters.py"),
            _APP_DIR / "diffing.py",
            _APP_DIR / "codes.py",
        ]
    )
    return _digest(*(path.read_bytes() for path in files))


def _digest(*parts) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part if isinstance(part, bytes) else str(part).encode())
        digest.update(b"\x1f")
    return digest.hexdigest()
