"""Which applications send to a destination country: the one condition the queue filter and the
admin search both use (no writes, no network).
"""

from django.db import connection
from django.db.models import Q

from ..cams.fields import DESTINATION_FIELDS


def destination_country_q(iso: str, *, vendor: str | None = None) -> Q:
    """Applications with the ISO alpha-2 code ``iso`` among their local or international destinations.

    Matches the parsed ``iso`` of each destination in the stored document, so ``355|AL`` and a bare
    ``AL`` both count. On PostgreSQL a jsonb containment, served by the GIN (jsonb_path_ops)
    indexes of migration 0003; SQLite has no JSON containment, so there the quoted code is looked
    for inside the list's JSON text.
    """
    iso = iso.upper()
    vendor = vendor or connection.vendor
    condition = Q()
    for attribute in DESTINATION_FIELDS.values():
        if vendor == "postgresql":
            condition |= Q(**{f"document__{attribute}__contains": [{"iso": iso}]})
        else:
            condition |= Q(**{f"document__{attribute}__icontains": f'"{iso}"'})
    return condition
