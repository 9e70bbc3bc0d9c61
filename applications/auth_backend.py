"""Django's model backend, loading the user's preferences in the same query as the user.

``middleware.UserPreferencesMiddleware`` reads the language and time zone on every request; with
``select_related`` that read is free (a user without preferences gets ``None`` cached, no query).
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class PreferencesModelBackend(ModelBackend):
    def get_user(self, user_id):
        user_model = get_user_model()
        try:
            user = user_model._default_manager.select_related("preferences").get(pk=user_id)
        except user_model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
