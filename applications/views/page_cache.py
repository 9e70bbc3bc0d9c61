"""Whole pages for a signed-in user, cached until anything they show changes.

The application page is read far more often than anything on it changes. Its CAMS parts are
already cached per content (fragments.py), but the rest (header, summary, review forms, fetch
details) still cost most of a request to render. Here the whole page is cached under a key made
of everything it shows:

- the stored row: every column but the large JSON ones, which the content hash and the fetch
  time stand for;
- the user and the generation of roles (role_cache.py): names, staff flag, permissions,
  preferences and the reviewers offered as assignees change it;
- what the header and buttons show for that user: the bell's count, whether they watch it;
- the language, the time zone, the full path (the language switcher returns to it), the digest
  of the templates and code table, and the current minute, since the page shows relative times
  ("stored copy, 3 hours old", "next refresh in 4 minutes"): those are at most a minute behind.

What differs per response is never cached: the CSRF token and the CSP nonce are replaced by
markers before the page is stored and filled in with this request's values when it is served.
Pages with messages to show, or made from a fetch just now or a failed one, are not cached.
"""

import re

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone, translation

from .. import content_cache, role_cache
from ..selectors.notifications import notification_unread_count, unread_count_key, watched_ids, watched_ids_key
from .render_keys import code_digest, digest, row_identity

PAGE_SECONDS = 120  # a key names its minute: entries are useless after it
_CSRF_INPUT = re.compile(r'(<input type="hidden" name="csrfmiddlewaretoken" value=")[^"]*(">)')
_CSRF_MARK = "\x1ecsrf-token\x1f"
_NONCE_MARK = "\x1ecsp-nonce\x1f"


def cached_application_page(request, application, render) -> HttpResponse:
    """``render()`` (an HttpResponse of the application page), or the same page from the cache."""
    if settings.DEBUG or request.method != "GET" or len(messages.get_messages(request)):
        return render()
    key = _page_key(request, application)
    stored = content_cache.get(key)
    if stored is not None:
        return HttpResponse(_personalise(stored, request))
    response = render()
    if response.status_code == 200:
        content_cache.set(key, _neutralise(response.content.decode(), request), PAGE_SECONDS)
    return response


def _page_key(request, application) -> str:
    user = request.user
    generation, unread, watched = _viewer_state(user)
    return "page:" + digest(
        "application",
        row_identity(application),
        user.pk,
        generation,
        unread,
        application.pk in watched,
        translation.get_language(),
        timezone.get_current_timezone_name(),
        request.get_full_path(),
        int(timezone.now().timestamp() // 60),
        code_digest(),
    )


def _viewer_state(user) -> tuple:
    """(roles generation, bell count, watched ids), read in one round trip; misses are computed."""
    keys = (role_cache.GENERATION_KEY, unread_count_key(user.pk), watched_ids_key(user.pk))
    found = cache.get_many(keys)
    generation = found.get(keys[0]) or role_cache.read()[0]
    unread = found.get(keys[1])
    watched = found.get(keys[2])
    return (
        generation,
        notification_unread_count(user=user) if unread is None else unread,
        watched_ids(user=user) if watched is None else watched,
    )


def _neutralise(html: str, request) -> str:
    """The page with this response's CSRF tokens and CSP nonce replaced by markers."""
    nonce = getattr(request, "_csp_nonce", None)
    if nonce:  # a LazyNonce is true once the page has used it
        html = html.replace(str(nonce), _NONCE_MARK)
    return _CSRF_INPUT.sub(lambda match: f"{match[1]}{_CSRF_MARK}{match[2]}", html)


def _personalise(html: str, request) -> str:
    if _NONCE_MARK in html:
        html = html.replace(_NONCE_MARK, str(request._csp_nonce))
    if _CSRF_MARK in html:
        html = html.replace(_CSRF_MARK, get_token(request))
    return html
