"""Django's model backend, reading the signed-in user and their permissions from ``role_cache``.

Every request reads the user (and ``middleware.UserPreferencesMiddleware`` their language and
time zone: ``select_related``, so a user without preferences gets ``None`` cached, no query), and
every page asks ``has_perm`` (may this user review? refresh?), which costs two permission queries
for anyone but a superuser. All three come from the cache in one round trip and stay there until
a user, group, grant or preference changes (role_cache.py); only a miss reads the database.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from . import role_cache

_SOURCES = ("user", "group")  # ModelBackend's two kinds of permissions


def _permissions_name(source: str, user_id) -> str:
    return f"permissions:{source}:{user_id}"


def _read_user(user_id):
    user_model = get_user_model()
    return user_model._default_manager.select_related("preferences").filter(pk=user_id).first()


class PreferencesModelBackend(ModelBackend):
    def get_user(self, user_id):
        user_name = f"user:{user_id}"
        permission_names = {source: _permissions_name(source, user_id) for source in _SOURCES}
        generation, found = role_cache.read(user_name, *permission_names.values())
        if user_name in found:
            user = found[user_name]
        else:
            user = _read_user(user_id)
            role_cache.write(generation, user_name, user)
        if user is None:
            return None
        for source, name in permission_names.items():  # what _get_permissions would read from the cache
            if name in found:
                setattr(user, f"_{source}_perm_cache", found[name])
        return user if self.user_can_authenticate(user) else None

    def _get_permissions(self, user_obj, obj, from_name):
        attribute = f"_{from_name}_perm_cache"
        if obj is not None or not user_obj.is_active or user_obj.is_anonymous or hasattr(user_obj, attribute):
            return super()._get_permissions(user_obj, obj, from_name)
        permissions = role_cache.cached(
            _permissions_name(from_name, user_obj.pk),
            lambda: super(PreferencesModelBackend, self)._get_permissions(user_obj, obj, from_name),
        )
        setattr(user_obj, attribute, permissions)
        return permissions
