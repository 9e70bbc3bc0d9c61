"""The preferences form: display language and time zone (blank = not chosen)."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from ..selectors.preferences import time_zone_names


def _language_choices():
    # Each language in its own name, so a reader finds theirs whatever the page's language.
    return [("", _("Browser's language")), *settings.LANGUAGES]


def _time_zone_choices():
    return [("", _("Default (%(zone)s)") % {"zone": settings.TIME_ZONE})] + [(name, name) for name in time_zone_names()]


class PreferencesForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), required=False, choices=_language_choices)
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        required=False,
        choices=_time_zone_choices,
        help_text=_("Every time in the app is shown in this zone; times are stored in UTC."),
    )


class LanguageForm(forms.Form):
    """The header's switcher: a language, and the page to go back to."""

    language = forms.ChoiceField(choices=lambda: list(settings.LANGUAGES))
    next = forms.CharField(required=False)
