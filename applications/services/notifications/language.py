"""The language a message is written in: there is no browser to ask, so the recipient's saved
choice decides, else the site's LANGUAGE_CODE (also for channels, which belong to no reader)."""

from django.conf import settings

from ...selectors.preferences import supported_language, user_preferences_get


def recipient_language(user=None) -> str:
    """``user``'s saved language if it is one of settings.LANGUAGES, else settings.LANGUAGE_CODE."""
    saved = user_preferences_get(user=user).language if user is not None else ""
    return supported_language(saved) or settings.LANGUAGE_CODE
