"""Each user's display preferences: language and time zone.

Blank means "not chosen": the browser's language (``Accept-Language``) and the deployment's
``DJANGO_TIME_ZONE``. Times are stored in UTC either way; the zone only changes how they are shown.
The row is loaded together with the user (``auth_backend.PreferencesModelBackend``), so reading it
costs no query of its own.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class UserPreferences(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="preferences"
    )
    # A code of settings.LANGUAGES (checked by services.preferences, not by a database constraint,
    # so adding a language needs no migration).
    language = models.CharField(_("language"), max_length=16, blank=True, default="")
    # An IANA zone name, e.g. "Asia/Shanghai".
    time_zone = models.CharField(_("time zone"), max_length=64, blank=True, default="")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("user preferences")
        verbose_name_plural = _("user preferences")

    def __str__(self):
        return f"{self.user_id}: {self.language or '-'} {self.time_zone or '-'}"
