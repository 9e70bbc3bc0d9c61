"""Which applications send to a destination country: the one condition the queue filter and the
admin search both use (no writes, no network).
"""

from django.db import connection
from django.db.models import Q


def destination_country_q(iso: str, *, vendor: str | None = None) -> Q:
    """Applications with the ISO alpha-2 code ``iso`` among their local or international destinations.

    Matches ``destination_isos``, the parsed ``iso`` of each destination (so ``355|AL`` and a bare
    ``AL`` both count). On PostgreSQL a jsonb containment served by the GIN (jsonb_path_ops) index
    of migration 0010; SQLite has no JSON containment, so there the quoted code is looked for in
    the list's JSON text.
    """
    iso = iso.upper()
    vendor = vendor or connection.vendor
    if vendor == "postgresql":
        return Q(destination_isos__contains=[iso])
    return Q(destination_isos__icontains=f'"{iso}"')
