"""What a cached piece of markup depends on besides its data: the code that renders it.

Rendered markup is cached under keys that name its content (fragments.py, page_cache.py). A key
also carries a digest of the templates, template tags, presenters and code table, so a deploy or
an operator's edited code label renders afresh instead of serving old markup.
"""

import hashlib
from functools import cache as memoize
from pathlib import Path

from django.conf import settings
from django.db.models import JSONField

_APP_DIR = Path(__file__).resolve().parent.parent
_TEMPLATES_DIR = _APP_DIR.parent / "templates"


def code_digest() -> str:
    """The rendering code (read once per process) and the code table (per call: a setting can change)."""
    global _last_code_digest
    table = settings.CAMS_CODE_TABLE
    # The table is a setting: replaced (override_settings, a restart), never edited in place, so its
    # digest is kept while the same object is in place. One tuple, swapped whole: thread-safe.
    last_table, value = _last_code_digest
    if last_table is not table:
        value = digest(_source_digest(), repr(table))
        _last_code_digest = (table, value)
    return value


_last_code_digest = (None, "")


@memoize
def _source_digest() -> str:
    files = sorted(
        [
            *_TEMPLATES_DIR.rglob("*.html"),
            *(_APP_DIR / "templatetags").glob("*.py"),
            *(_APP_DIR / "views").glob("*presenters.py"),
            _APP_DIR / "diffing.py",
            _APP_DIR / "codes.py",
        ]
    )
    return digest(*(path.read_bytes() for path in files))


def digest(*parts) -> str:
    hashed = hashlib.sha256()
    for part in parts:
        hashed.update(part if isinstance(part, bytes) else str(part).encode())
        hashed.update(b"\x1f")
    return hashed.hexdigest()


def row_identity(instance) -> tuple:
    """Every loaded column of a row but its JSON ones: what cached output of the row is keyed by.

    The JSON columns of an application (document, raw response, audit record) follow from its
    content hash and fetch time, which are in here; the deferred columns are not loaded at all.
    """
    deferred = instance.get_deferred_fields()
    return tuple(
        (field.attname, getattr(instance, field.attname))
        for field in instance._meta.concrete_fields
        if not isinstance(field, JSONField) and field.attname not in deferred
    )
