"""Who is signed in and who holds which role, cached until a user, a group or a grant changes.

Every request reads the signed-in user (with their preferences) and asks whether they may review
or refresh; the application and queue pages list the reviewers. All of it changes only when
someone edits users, groups, permissions or preferences. So the answers are cached, each stamped
with a *generation* that any such edit replaces. A reader fetches its entries and the current
generation in one round trip and recomputes what is missing or of another generation.

The generation is replaced when the signal fires and again when the transaction commits: a reader
between the two recomputes from the old rows, but stamps its entry with the first new generation,
which the commit replaces, so a stale answer never outlives the transaction that changed it.
"""

import logging
import uuid

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

logger = logging.getLogger(__name__)

GENERATION_KEY = "roles:generation"
# A backstop: entries also expire by themselves, should a change bypass the ORM (raw SQL, a restore).
ENTRY_SECONDS = 600


def cached(name: str, compute):
    """``compute()``, cached under ``name`` for the current generation of roles."""
    generation, found = read(name)
    if name in found:
        return found[name]
    value = compute()
    write(generation, name, value)
    return value


def read(*names: str) -> tuple[str, dict]:
    """The current generation and, of ``names``, the entries stamped with it (one round trip)."""
    keys = {name: f"roles:{name}" for name in names}
    found = cache.get_many([GENERATION_KEY, *keys.values()])
    generation = found.get(GENERATION_KEY) or _start_generation()
    entries = {name: found.get(key) for name, key in keys.items()}
    return generation, {name: entry[1] for name, entry in entries.items() if entry and entry[0] == generation}


def write(generation: str, name: str, value) -> None:
    """Cache ``value`` for ``generation`` (the one ``read`` returned before computing it)."""
    cache.set(f"roles:{name}", (generation, value), ENTRY_SECONDS)


def _start_generation() -> str:
    cache.add(GENERATION_KEY, uuid.uuid4().hex, None)
    return cache.get(GENERATION_KEY)


def roles_changed(update_fields=None, **kwargs) -> None:
    if update_fields and set(update_fields) <= {"last_login"}:
        return  # every sign-in saves the user; that changes nobody's role
    _new_generation()
    transaction.on_commit(_new_generation)


def _new_generation() -> None:
    try:
        cache.set(GENERATION_KEY, uuid.uuid4().hex, None)
    except Exception:  # the cache is down: the save itself must still go through
        # Entries written before the outage stay readable for at most ENTRY_SECONDS.
        logger.warning("could not reset the role cache; cached roles expire within %s s", ENTRY_SECONDS, exc_info=True)


def connect_role_signals() -> None:
    """Called once from the app config."""
    from .models import UserPreferences

    User = get_user_model()
    for model in (User, Group, Permission, UserPreferences):
        post_save.connect(roles_changed, sender=model, dispatch_uid=f"roles-save-{model.__name__}")
        post_delete.connect(roles_changed, sender=model, dispatch_uid=f"roles-delete-{model.__name__}")
    for through in (User.groups.through, User.user_permissions.through, Group.permissions.through):
        m2m_changed.connect(roles_changed, sender=through, dispatch_uid=f"roles-m2m-{through.__name__}")
