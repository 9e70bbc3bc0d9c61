"""Django's model backend, with the user's preferences read in the same query as the user and
the user's permissions read from the cache.

``middleware.UserPreferencesMiddleware`` reads the language and time zone on every request; with
``select_related`` that read is free (a user without preferences gets ``None`` cached, no query).
Every page asks ``has_perm`` (may this user review? refresh?), which would cost two permission
queries per request for anyone but a superuser; ``role_cache`` keeps them until a grant changes.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from . import role_cache


class PreferencesModelBackend(ModelBackend):
    def get_user(self, user_id):
        user_model = get_user_model()
        try:
            user = user_model._default_manager.select_related("preferences").get(pk=user_id)
        except user_model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None

    def _get_permissions(self, user_obj, obj, from_name):
        attribute = f"_{from_name}_perm_cache"
        if obj is not None or not user_obj.is_active or user_obj.is_anonymous or hasattr(user_obj, attribute):
            return super()._get_permissions(user_obj, obj, from_name)
        permissions = role_cache.cached(
            f"permissions:{from_name}:{user_obj.pk}",
            lambda: super(PreferencesModelBackend, self)._get_permissions(user_obj, obj, from_name),
        )
        setattr(user_obj, attribute, permissions)
        return permissions
