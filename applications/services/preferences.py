"""Setting a user's display language and time zone."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ..models import UserPreferences
from ..selectors.preferences import language_codes, time_zone_names

UNCHANGED = None


def user_preferences_set(
    *, user, language: str | None = UNCHANGED, time_zone: str | None = UNCHANGED
) -> UserPreferences:
    """Save the user's language and/or time zone ("" = not chosen, None = leave as it is).

    Writes one ``UserPreferences`` row (created on first use). Raises ``ValidationError`` for a
    language outside settings.LANGUAGES or a zone name this machine does not know.
    """
    changes = {}
    if language is not UNCHANGED:
        language = language.strip().lower()
        if language and language not in language_codes():
            raise ValidationError(_("That language is not available."), code="invalid_language")
        changes["language"] = language
    if time_zone is not UNCHANGED:
        time_zone = time_zone.strip()
        if time_zone and time_zone not in time_zone_names():
            raise ValidationError(_("That time zone is not known."), code="invalid_time_zone")
        changes["time_zone"] = time_zone
    preferences, _created = UserPreferences.objects.update_or_create(user=user, defaults=changes)
    # The request's user object keeps the row it was loaded with; give it the new one.
    user.preferences = preferences
    return preferences
