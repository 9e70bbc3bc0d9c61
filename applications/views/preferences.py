"""The user's language and time zone: the preferences page and the header's language switcher.

A signed-in user's choice is saved (services.preferences) and wins on every device; the switcher
also sets Django's language cookie, so the login page keeps the language after logging out and an
anonymous visitor can switch too.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ..forms.preferences import LanguageForm, PreferencesForm
from ..selectors.preferences import user_preferences_get
from ..services.preferences import user_preferences_set


def _remember_language(response, language: str):
    """Django's language cookie, which LocaleMiddleware reads when no user preference applies."""
    if language:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE or settings.SESSION_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE or "Lax",
        )
    else:
        response.delete_cookie(settings.LANGUAGE_COOKIE_NAME, path=settings.LANGUAGE_COOKIE_PATH)
    return response


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return fallback


@require_http_methods(["GET", "POST"])
@login_required
def preferences(request):
    saved = user_preferences_get(user=request.user)
    form = PreferencesForm(request.POST or None, initial={"language": saved.language, "time_zone": saved.time_zone})
    if request.method == "POST" and form.is_valid():
        language, time_zone = form.cleaned_data["language"], form.cleaned_data["time_zone"]
        try:
            user_preferences_set(user=request.user, language=language, time_zone=time_zone)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            # The confirmation is read on the next page, so it speaks the language just chosen.
            with translation.override(language or translation.get_language()):
                messages.success(request, _("Preferences saved."))
            return _remember_language(redirect("applications:preferences"), language)
    status = 400 if form.errors else 200
    return render(request, "applications/preferences.html", {"form": form}, status=status)


@require_POST
def language_switch(request):
    """The header's switcher: save the language for a signed-in user, remember it in the cookie."""
    form = LanguageForm(request.POST)
    fallback = reverse("applications:home")
    if not form.is_valid():
        messages.error(request, _("That language is not available."))
        return HttpResponseRedirect(_safe_next(request, fallback))
    language = form.cleaned_data["language"]
    if request.user.is_authenticated:
        user_preferences_set(user=request.user, language=language)
    return _remember_language(HttpResponseRedirect(_safe_next(request, fallback)), language)
