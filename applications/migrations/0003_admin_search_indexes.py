"""Indexes that keep the admin's search fast at a million applications (PostgreSQL only).

- Trigram GIN indexes on ``UPPER(column::text)``: exactly the expression Django's ``icontains``
  builds (``UPPER("col"::text) LIKE UPPER('%x%')``), so a substring search on any of these
  columns is an index scan, and a search over several columns a BitmapOr of them.
- ``jsonb_path_ops`` GIN indexes on the two destination lists of ``document``, for a
  containment query (``document -> 'destinations_local' @> '[{"iso": "AL"}]'``).
- ``request_no`` needs nothing new: its ``db_index`` already created a ``varchar_pattern_ops``
  index on PostgreSQL, which serves the prefix ``LIKE 'x%'``.

On SQLite (local runs) every operation here is a no-op: the admin still searches, just slower.
The names share the ``app_search_`` prefix so the admin benchmark can find them.

# Reference: https://www.postgresql.org/docs/current/pgtrgm.html#PGTRGM-INDEX
"""
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

TABLE = "applications_viberapplication"
TRIGRAM_COLUMNS = ("company_legal_name", "company_english_name", "business_account_name", "business_license_number",
                   "contact_name", "contact_email", "contact_phone")
DESTINATION_KEYS = ("destinations_local", "destinations_international")


def index_statements():
    for column in TRIGRAM_COLUMNS:
        yield (f"app_search_{column}_trgm",
               f"CREATE INDEX IF NOT EXISTS app_search_{column}_trgm ON {TABLE} "
               f"USING gin ((UPPER({column}::text)) gin_trgm_ops)")
    for key in DESTINATION_KEYS:
        yield (f"app_search_{key}_gin",
               f"CREATE INDEX IF NOT EXISTS app_search_{key}_gin ON {TABLE} "
               f"USING gin ((document -> '{key}') jsonb_path_ops)")


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for _name, statement in index_statements():
        schema_editor.execute(statement)


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _statement in index_statements():
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):

    dependencies = [
        ("applications", "0002_review"),
    ]

    operations = [
        TrigramExtension(),  # itself a no-op on databases other than PostgreSQL
        migrations.RunPython(create_indexes, drop_indexes, elidable=False),
    ]
