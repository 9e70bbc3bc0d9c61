"""Django's cached-database sessions, whose cache read also brings the generation of roles.

A signed-in request first reads its session (who is this?) and then the user and their
permissions (role_cache.py), which are stamped with a *generation* that any edit of users, groups
or grants replaces. The session's read fetches that generation in the same round trip; entries
of the current generation that this process has read before are then taken from its memory, so
a warm request reads Redis once instead of twice. Everything else is Django's ``cached_db``.
"""

from django.conf import settings
from django.contrib.sessions.backends import cached_db

from applications import role_cache


class SessionStore(cached_db.SessionStore):
    def load(self):
        if settings.SESSION_CACHE_ALIAS != "default":  # the roles live in the default cache
            return super().load()
        try:
            found = self._cache.get_many([self.cache_key, role_cache.GENERATION_KEY])
        except Exception:  # as Django's: a cache that refuses the key means no cached session
            found = {}
        role_cache.note_request_generation(found.get(role_cache.GENERATION_KEY))
        data = found.get(self.cache_key)
        # Not cached: Django's own path reads the database and fills the cache.
        return super().load() if data is None else data
