"""Reads of each user's language and time zone, and the values they may take (no writes)."""

from dataclasses import dataclass
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from django.conf import settings
from django.utils import translation

from ..models import UserPreferences


@dataclass(frozen=True)
class Preferences:
    language: str = ""  # a code of settings.LANGUAGES, or "" for the browser's language
    time_zone: str = ""  # an IANA zone name, or "" for settings.TIME_ZONE


NO_PREFERENCES = Preferences()


def user_preferences_get(*, user) -> Preferences:
    """The user's saved choices; blank ones (and anonymous users) mean "not chosen".

    Reads the ``preferences`` relation, which ``auth_backend`` loads with the user: no query of
    its own for the signed-in user of a request.
    """
    if user is None or not user.is_authenticated:
        return NO_PREFERENCES
    try:
        row = user.preferences
    except UserPreferences.DoesNotExist:
        return NO_PREFERENCES
    return Preferences(language=row.language, time_zone=row.time_zone)


def language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def supported_language(code: str) -> str | None:
    """The code of settings.LANGUAGES that serves ``code`` ("zh-CN" -> "zh-hans"), or None."""
    if not code:
        return None
    try:
        return translation.get_supported_language_variant(code.strip().lower())
    except LookupError:
        return None


@cache
def time_zone_names() -> tuple[str, ...]:
    """Every IANA zone this machine knows, sorted (the "posix/" and "right/" aliases left out)."""
    return tuple(sorted(name for name in available_timezones() if not name.startswith(("posix/", "right/"))))


def time_zone_of(preferences: Preferences):
    """The zone to show times in: the user's, else settings.TIME_ZONE."""
    return ZoneInfo(preferences.time_zone or settings.TIME_ZONE)
