"""Who holds which role, cached until an admin changes a user, a group or a grant.

Every page asks whether the signed-in user may review or refresh, and the application and queue
pages list the reviewers; both change only when someone edits users, groups or permissions. So the
answers are cached, each stamped with a *generation* that any such edit replaces. A reader fetches
its entry and the current generation in one round trip and recomputes when they differ.

The generation is replaced when the signal fires and again when the transaction commits: a reader
between the two recomputes from the old rows, but stamps its entry with the first new generation,
which the commit replaces, so a stale answer never outlives the transaction that changed it.
"""

import uuid

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

GENERATION_KEY = "roles:generation"
# A backstop: entries also expire by themselves, should a change bypass the ORM (raw SQL, a restore).
ENTRY_SECONDS = 600


def cached(name: str, compute):
    """``compute()``, cached under ``name`` for the current generation of roles."""
    key = f"roles:{name}"
    found = cache.get_many([GENERATION_KEY, key])
    generation = found.get(GENERATION_KEY) or _start_generation()
    entry = found.get(key)
    if entry is not None and entry[0] == generation:
        return entry[1]
    value = compute()
    cache.set(key, (generation, value), ENTRY_SECONDS)
    return value


def _start_generation() -> str:
    cache.add(GENERATION_KEY, uuid.uuid4().hex, None)
    return cache.get(GENERATION_KEY)


def roles_changed(update_fields=None, **kwargs) -> None:
    if update_fields and set(update_fields) <= {"last_login"}:
        return  # every sign-in saves the user; that changes nobody's role
    _new_generation()
    transaction.on_commit(_new_generation)


def _new_generation() -> None:
    cache.set(GENERATION_KEY, uuid.uuid4().hex, None)


def connect_role_signals() -> None:
    """Called once from the app config."""
    User = get_user_model()
    for model in (User, Group, Permission):
        post_save.connect(roles_changed, sender=model, dispatch_uid=f"roles-save-{model.__name__}")
        post_delete.connect(roles_changed, sender=model, dispatch_uid=f"roles-delete-{model.__name__}")
    for through in (User.groups.through, User.user_permissions.through, Group.permissions.through):
        m2m_changed.connect(roles_changed, sender=through, dispatch_uid=f"roles-m2m-{through.__name__}")
