"""Who is signed in and who holds which role, cached until a user, a group or a grant changes.

Every request reads the signed-in user (with their preferences) and asks whether they may review
or refresh; the application and queue pages list the reviewers. All of it changes only when
someone edits users, groups, permissions or preferences. So the answers are cached, each stamped
with a *generation* that any such edit replaces. A reader fetches its entries and the current
generation in one round trip and recomputes what is missing or of another generation.

The generation is replaced when the signal fires and again when the transaction commits: a reader
between the two recomputes from the old rows, but stamps its entry with the first new generation,
which the commit replaces, so a stale answer never outlives the transaction that changed it.

An entry never changes under its generation, so this process keeps a copy of the entries it read
(as pickled bytes: each request unpickles its own objects) for LOCAL_SECONDS. A request whose
session read already brought the current generation (config/sessions.py) takes its entries from
that copy without asking Redis; the generation is forgotten when the request ends or roles change.
"""

import logging
import pickle
import threading
import time
import uuid
from contextvars import ContextVar

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.core.signals import request_finished, request_started
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
    """The current generation and, of ``names``, the entries stamped with it (at most one round trip)."""
    generation = _request_generation.get()
    if generation is not None and (copied := _copies.take(generation, names)) is not None:
        return generation, copied
    keys = {name: f"roles:{name}" for name in names}
    found = cache.get_many([GENERATION_KEY, *keys.values()])
    generation = found.get(GENERATION_KEY) or _start_generation()
    entries = {name: found.get(key) for name, key in keys.items()}
    current = {name: entry[1] for name, entry in entries.items() if entry and entry[0] == generation}
    for name in names:
        # What is not cached for this generation is remembered as such: the caller computes it
        # from the database (always right) and writes it, which replaces the mark.
        _copies.keep(generation, name, current.get(name, _ABSENT))
    return generation, current


def write(generation: str, name: str, value) -> None:
    """Cache ``value`` for ``generation`` (the one ``read`` returned before computing it)."""
    cache.set(f"roles:{name}", (generation, value), ENTRY_SECONDS)
    _copies.keep(generation, name, value)


# --- This process's copies, and the generation the request's session read brought ---------------

LOCAL_SECONDS = 60
_request_generation: ContextVar[str | None] = ContextVar("roles_request_generation", default=None)


def note_request_generation(generation: str | None) -> None:
    """The current generation, read with this request's session (config/sessions.py)."""
    _request_generation.set(generation)


def forget_request_generation(**kwargs) -> None:
    _request_generation.set(None)


_ABSENT = object()


class _Copies:
    """Pickled entries of one generation (None: not cached); a newer generation replaces them all."""

    MAX_ENTRIES = 4096

    def __init__(self):
        self._generation = None
        self._entries: dict[str, tuple[float, bytes]] = {}
        self._lock = threading.Lock()

    def keep(self, generation: str, name: str, value) -> None:
        data = None if value is _ABSENT else pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
        with self._lock:
            if generation != self._generation or len(self._entries) >= self.MAX_ENTRIES:
                self._generation, self._entries = generation, {}
            self._entries[name] = (time.monotonic() + LOCAL_SECONDS, data)

    def take(self, generation: str, names) -> dict | None:
        """Fresh objects for all of ``names`` under ``generation``, or None when any is missing."""
        now = time.monotonic()
        with self._lock:
            if generation != self._generation:
                return None
            found = [self._entries.get(name) for name in names]
        if any(entry is None or entry[0] <= now for entry in found):
            return None
        return {name: pickle.loads(entry[1]) for name, entry in zip(names, found, strict=True) if entry[1] is not None}

    def clear(self) -> None:
        with self._lock:
            self._generation, self._entries = None, {}


_copies = _Copies()


def clear_local() -> None:
    """Forget this process's copies (tests; Redis keeps its own)."""
    _copies.clear()
    forget_request_generation()


def _start_generation() -> str:
    cache.add(GENERATION_KEY, uuid.uuid4().hex, None)
    return cache.get(GENERATION_KEY)


def roles_changed(update_fields=None, **kwargs) -> None:
    if update_fields and set(update_fields) <= {"last_login"}:
        return  # every sign-in saves the user; that changes nobody's role
    forget_request_generation()  # the rest of this request reads the new generation from Redis
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
    # A request's generation is its own: never carried into the next request on this thread.
    request_started.connect(forget_request_generation, dispatch_uid="roles-request-started")
    request_finished.connect(forget_request_generation, dispatch_uid="roles-request-finished")
