"""Project-wide response and request rules that no single view should have to remember."""

from django.http import HttpResponseBadRequest
from django.utils.cache import patch_cache_control


class NoStoreMiddleware:
    """``Cache-Control: no-store`` on every response Django itself makes.

    Pages, the JSON API and exports are all per-user and most carry review data: no browser or
    proxy cache should keep them. Static files never reach this (WhiteNoise answers them first,
    with its own long-lived caching), nor do the health probes (answered before every middleware).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        patch_cache_control(response, no_store=True)
        return response


class RefuseNulMiddleware:
    """Refuse a NUL character in any query or form parameter with a 400.

    PostgreSQL cannot store or compare text containing NUL, so such a value reaching a filter
    (the queue's, the admin's list filters and search) or a login attempt record would end in a
    500. Forms already refuse it field by field; this covers everything that is not a form.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _has_nul(request.GET) or (request.method == "POST" and _has_nul(_form_data(request))):
            return HttpResponseBadRequest(
                "A parameter contains a NUL character (%00), which is never valid here.",
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)


def _form_data(request):
    # Only URL-encoded and multipart bodies are parsed into request.POST; anything else is left alone.
    content_type = request.content_type or ""
    if content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        return request.POST
    return {}


def _has_nul(params) -> bool:
    if not params:
        return False
    for key in params:
        if "\x00" in key:
            return True
        values = params.getlist(key) if hasattr(params, "getlist") else [params[key]]
        if any("\x00" in value for value in values if isinstance(value, str)):
            return True
    return False
