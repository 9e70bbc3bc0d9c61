"""Activates the signed-in user's language and time zone for the request.

Runs after Django's LocaleMiddleware (which picked the language from the switcher's cookie, else
Accept-Language, else LANGUAGE_CODE) and AuthenticationMiddleware: a saved language wins over
that choice, and every time in the response is shown in the user's zone, else settings.TIME_ZONE.
Anonymous users keep LocaleMiddleware's language and the default zone.
"""

from django.core.signals import request_finished
from django.dispatch import receiver
from django.utils import timezone, translation

from .selectors.preferences import time_zone_of, user_preferences_get


class UserPreferencesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        preferences = user_preferences_get(user=getattr(request, "user", None))
        if preferences.language:
            translation.activate(preferences.language)
            request.LANGUAGE_CODE = translation.get_language()
        timezone.activate(time_zone_of(preferences))
        return self.get_response(request)


@receiver(request_finished, dispatch_uid="applications.middleware.reset_locale")
def _reset_locale(**kwargs):
    # Only once the response is closed: a streamed export still renders in the user's zone. The
    # thread then serves the next request (or test) with the defaults until that one chooses.
    timezone.deactivate()
    translation.deactivate()
