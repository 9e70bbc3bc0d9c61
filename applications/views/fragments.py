"""The parts of the application page that change only when a fetch or a review action stores something.

Every CAMS field, the timeline, the snapshot diffs, the raw JSON and the review log are most of
the page's rendering cost, yet they change only with the stored copy, not per request: they are
rendered once per content hash (the fields), per fetch (the history) or per review change (the
log), per language and time zone, and kept in the cache. The key also carries a digest of the
templates and code that render them and of the code table, so a deploy or an edited code label
renders afresh instead of serving old markup. Nothing cached here may depend on the request or
the user (no CSRF token, no forms).
"""

from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

from ..selectors.review import review_log_list
from .presenters import detail_context, history_context
from .render_keys import code_digest, digest

CONTENT_TEMPLATE = "applications/_cams_content.html"
REVIEW_LOG_TEMPLATE = "applications/_review_log.html"
REVIEW_LOG_LIMIT = 100
HISTORY_TEMPLATES = {
    "timeline": "applications/_timeline.html",
    "diffs": "applications/_snapshot_diffs.html",
    "raw": "applications/_raw_json.html",
    "envelope": "applications/_envelope.html",
}
# Long: a key names its content, so an entry is never wrong, only unused once the content moves on.
FRAGMENT_SECONDS = 7 * 24 * 3600


def application_fragments(application) -> dict:
    """``content`` (the CAMS fields), ``history`` (timeline, diffs, envelope, raw JSON: a dict) and
    ``review_log`` for the application page, read from the cache in one round trip.

    The CAMS fields are keyed by content hash; the history by fetch, since snapshots and events
    are written only by a fetch; the review log by ``review_updated_at``, which every review
    action stamps. Only the missing ones are rendered (and their queries run).
    """
    # An application stored before content hashes existed is keyed by its fetch instead.
    fetched = f"{application.pk}@{_stamp(application.fetched_at)}"
    parts = {
        "content": (application.content_hash or fetched, lambda: _render_content(application)),
        "history": (f"{fetched}@{application.content_hash}", lambda: _render_history(application)),
        "review_log": (f"{application.pk}@{_stamp(application.review_updated_at)}", lambda: _render_log(application)),
    }
    if settings.DEBUG:  # templates are edited while the development server runs: render every time
        return {name: _safe(render()) for name, (_identity, render) in parts.items()}
    context = (translation.get_language() or "", timezone.get_current_timezone_name(), code_digest())
    keys = {name: "fragment:" + digest(name, identity, *context) for name, (identity, _render) in parts.items()}
    found = cache.get_many(list(keys.values()))
    fragments, missing = {}, {}
    for name, key in keys.items():
        rendered = found.get(key)
        if rendered is None:
            rendered = missing[key] = _plain(parts[name][1]())
        # The cache holds plain strings, escaped when rendered: they are marked safe again here.
        fragments[name] = _safe(rendered)
    if missing:
        cache.set_many(missing, FRAGMENT_SECONDS)
    return fragments


def _render_content(application) -> str:
    return render_to_string(CONTENT_TEMPLATE, detail_context(application))


def _render_history(application) -> dict:
    context = history_context(application)
    return {name: render_to_string(template, context) for name, template in HISTORY_TEMPLATES.items()}


def _render_log(application) -> str:
    entries = review_log_list(application=application, limit=REVIEW_LOG_LIMIT)
    return render_to_string(REVIEW_LOG_TEMPLATE, {"review_log": entries})


def _plain(rendered):
    return {name: str(part) for name, part in rendered.items()} if isinstance(rendered, dict) else str(rendered)


def _safe(rendered):
    if isinstance(rendered, dict):
        return {name: mark_safe(part) for name, part in rendered.items()}  # noqa: S308 - rendered by our templates
    return mark_safe(rendered)  # noqa: S308 - rendered by our templates


def _stamp(moment) -> str:
    return moment.isoformat() if moment else "-"
