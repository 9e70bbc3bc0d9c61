"""Applications for benchmarks and tests, two ways.

``store_from_dataset``: records of the simulator's data set through the normal store path (the
parser, the hash, one transaction each): few rows, exactly as a lookup would leave them.

``seed_applications`` (behind the ``seed_applications`` command, ``bench_queue`` and
``bench_admin_search``): N generated rows, fast. The rows look like what ``application_store``
writes (same columns, ``audit_record`` as the parser normalises it, ``document`` with the same keys
and destination objects), but they are built directly, without the parser, the hash or one
transaction per row: that is what makes a million rows take minutes instead of hours. Names are
assembled from syllables so that a fragment of a company name selects a handful of rows, as it would
in production, instead of a twentieth of the table.

PostgreSQL: ``COPY ... FROM STDIN`` through psycopg 3, with the table's secondary indexes
dropped for a large load and rebuilt afterwards (two builders in parallel), then ``ANALYZE``.
Other databases: ``bulk_create`` in batches.

For the review queue, rows also carry an internal review status (most "new") and dates spread
over the two years before the seed's day, so "last 30 days" metrics have rows to count.
Left at their defaults: ``raw_response`` (``{}``, the detail page falls back to the document),
the assignee, snapshots and events (none).
"""

import json
import random
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db import connection, connections
from django.db.models import NOT_PROVIDED

from ..cams.client import interpret_response
from ..cams.destinations import destination_isos
from ..cams.parsing import country_name
from ..models import ReviewStatus, ViberApplication
from ..sandbox import dataset
from ..services.store import application_store

REQUEST_NO_BASE = 2_000_000_000
SPACES = ("",) * 6 + dataset.CUST_SPACE_IDS + tuple(f"cs-{n:08x}" for n in range(0x5EED0000, 0x5EED0000 + 24))
_SYLLABLES = (
    "ka",
    "lo",
    "mir",
    "ta",
    "ven",
    "dor",
    "sa",
    "ri",
    "nel",
    "bo",
    "gra",
    "tu",
    "mes",
    "fi",
    "zan",
    "ko",
    "lum",
    "pe",
    "ra",
    "vis",
    "an",
    "tel",
    "mo",
    "qui",
    "ber",
    "do",
    "xa",
    "lin",
    "sor",
    "ne",
)
_TRADES = (
    "Logistics",
    "Telecom",
    "Foods",
    "Travel",
    "Medical",
    "Bank",
    "Retail",
    "Media",
    "Trading",
    "Services",
    "Holding",
    "Technology",
    "Catering",
    "Pharma",
    "Energy",
    "Motors",
    "Insurance",
    "Fashion",
)
_FORMS = {
    "latin": ("GmbH", "S.A.", "Ltd", "S.r.l.", "Sp. z o.o.", "SARL", "Sh.p.k.", "B.V.", "AG", "Inc."),
    "cyrillic": ("ООО", "АО", "ТОВ", "ЕООД"),
    "chinese": ("有限公司", "股份有限公司"),
    "arabic": ("شركة", "مؤسسة", "مجموعة"),
}
_FIRST = (
    "Maria",
    "Anna",
    "Jonas",
    "Luca",
    "Ivan",
    "Olga",
    "Wei",
    "Fang",
    "Omar",
    "Fatima",
    "Piotr",
    "Elena",
    "Sofia",
    "Ahmed",
    "Chen",
    "Marta",
    "Dmitri",
    "Lea",
    "Noah",
    "Yusuf",
    "Ines",
    "Tomás",
    "Hana",
    "Karim",
)
_LAST = (
    "Rossi",
    "Müller",
    "Kowalski",
    "Petrov",
    "Smirnova",
    "Wang",
    "Li",
    "Haddad",
    "Nasser",
    "García",
    "Novak",
    "Horvat",
    "Dubois",
    "Schmidt",
    "Zhang",
    "Rahman",
    "Ionescu",
    "Popescu",
    "Silva",
    "Khan",
)
_CYRILLIC = str.maketrans("abdefgiklmnoprstuvz", "абдефгиклмнопрстувз")
_TWO_YEARS_S = 2 * 365 * 86_400
# Most applications were never touched by a reviewer; the rest spread over the other statuses.
_REVIEW_STATUSES = tuple(
    status.value
    for status in (ReviewStatus.NEW,) * 14
    + (ReviewStatus.ACKNOWLEDGED, ReviewStatus.FOLLOWING_UP, ReviewStatus.ESCALATED)
    + (ReviewStatus.RESOLVED,) * 3
)


def store_from_dataset(dataset, request_numbers, *, seen_at=None) -> list:
    """Upsert each record of ``dataset`` through the normal store path; returns the rows.

    Side effects: DB writes (one ``application_store`` each), no CAMS call; on PostgreSQL, the
    table's statistics afterwards. Without them the planner took the one-value customer-space
    index for the unique-key lookup and walked every row of the space (0.46 ms instead of 0.04 ms
    at 300 rows), which autovacuum fixes in production a minute later but not in a benchmark.
    """
    stored = []
    for number in request_numbers:
        data, space = dataset.get(number)
        fetched = interpret_response({"Code": "OK", "RequestId": "SEED", "Data": data})
        stored.append(application_store(fetched=fetched, request_no=number, cust_space_id=space, seen_at=seen_at))
    if connection.vendor == "postgresql":
        _settle()
    return stored


def seed_day() -> datetime:
    """Today's start (UTC): generated dates end there, so the same seed gives the same rows all day."""
    return datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)


def _brand(rng):
    word = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4)))
    return word.capitalize()


def _destinations(rng):
    picked = rng.sample(dataset.COUNTRIES, rng.choice((0, 1, 1, 2, 2, 3, 4)))
    raw = [f"{dial}|{iso}" for dial, iso in picked]
    parsed = [
        {"raw": entry, "dial_code": dial, "iso": iso, "name": _country(iso)}
        for entry, (dial, iso) in zip(raw, picked, strict=True)
    ]
    return raw, parsed


_COUNTRY_NAMES = {}


def _country(iso):
    if iso not in _COUNTRY_NAMES:
        _COUNTRY_NAMES[iso] = country_name(iso) or iso
    return _COUNTRY_NAMES[iso]


def generate_row(rng: random.Random, index: int, *, until: datetime | None = None) -> dict:
    """One application's column values (model field names), JSON fields as Python objects.

    Dates fall in the two years before ``until`` (default: ``seed_day()``).
    """
    until = until or seed_day()
    request_no = str(REQUEST_NO_BASE + index)
    audit, state = rng.choices(dataset.COMBOS, dataset.COMBO_WEIGHTS)[0]
    script = dataset.SCRIPTS[index % len(dataset.SCRIPTS)]
    brand, trade, form = _brand(rng), rng.choice(_TRADES), rng.choice(_FORMS[script])
    english = f"{brand} {trade}"
    if script == "latin":
        legal = english = f"{english} {form}"
    elif script == "cyrillic":
        legal, english = f"{form} «{brand.lower().translate(_CYRILLIC).capitalize()} {trade}»", f"{english} LLC"
    elif script == "chinese":
        legal, english = f"{brand}{trade}{form}", f"{english} Co., Ltd."
    else:
        legal, english = f"{form} {brand} {trade}", f"{english} Co."
    account = rng.choice((english, f"{brand}{trade}", brand))
    first, last = rng.choice(_FIRST), rng.choice(_LAST)
    contact_name = f"{first} {last}"
    domain = f"{brand.lower()}-{trade.lower()}{rng.randrange(100)}.example.com"
    email = f"{first.lower()}.{last.lower()}@{domain}".encode("ascii", "ignore").decode()
    dial = rng.choice(dataset.COUNTRIES)[0]
    phone = f"{'+' if rng.random() < 0.5 else ''}{dial}{rng.randrange(10**8, 10**10)}"
    licence = rng.choice(
        (
            str(rng.randrange(10**10, 10**12)),
            f"HRB-{rng.randrange(10**4, 10**6)}",
            f"{rng.randrange(10, 99)}-{rng.randrange(10**5, 10**7)}",
        )
    )
    industry = rng.choice(dataset.INDUSTRIES)
    request_type = rng.choice(dataset.REQUEST_TYPES)
    created = until - timedelta(seconds=rng.randrange(_TWO_YEARS_S))
    modified = min(until, created + timedelta(seconds=rng.randrange(30 * 86_400)))
    audited = audit in ("pass", "reject")
    reason = rng.choice(dataset.REJECT_REASONS) if audit == "reject" else ""
    maap = str(rng.randrange(100000, 999999)) if audit == "pass" else ""
    local_raw, local = _destinations(rng)
    international_raw, international = _destinations(rng)
    telephones = [{"CompanyTelTitle": "Support", "CompanyTelNumber": f"+{dial} {rng.randrange(10**7, 10**9)}"}]
    addresses = [{"CompanyAddressTitle": "Headquarters", "CompanyAddress": f"{rng.randint(1, 250)} {brand} Street"}]
    audit_record = {
        "CompanyLegalName": legal,
        "CompanyEnglishName": english,
        "BusinessAccountName": account,
        "BusinessLicenseRegistrationNumber": licence,
        "IndustryInvolved": industry,
        "ContactName": contact_name,
        "ContactEmail": email,
        "ContactPhone": phone,
        "MessageDestinationCountry": local_raw,
        "MessageDestinationInternationalCountry": international_raw,
        "CompanyAddress": addresses,
        "CompanyTel": telephones,
        "WebAddress": f"https://www.{domain}",
        "MessageSessionName": account,
        "AgeLimit": rng.choice(("eighteenUp", "unlimited")),
        "Logo": [f"https://static.example.com/logos/{request_no}.png"],
    }
    document = {
        "request_no": request_no,
        "upstream_id": str(index),
        "state": state,
        "audit_result": audit,
        "request_type": request_type,
        "reason": reason,
        "creator": "11",
        "modifier": "",
        "maap_service_no": maap,
        "subscriber_code": str(rng.randrange(100000, 999999)),
        "gmt_create": created.isoformat(),
        "audit_time": modified.isoformat() if audited else None,
        "gmt_modified": modified.isoformat(),
        "company_legal_name": legal,
        "company_english_name": english,
        "business_account_name": account,
        "business_license_number": licence,
        "industry": industry,
        "contact_name": contact_name,
        "contact_email": email,
        "contact_phone": phone,
        "logos": audit_record["Logo"],
        "destinations_local": local,
        "destinations_international": international,
        "addresses": addresses,
        "telephones": telephones,
        "audit_record": audit_record,
        "extra": {},
        "content_hash": "",
    }
    return {
        "cust_space_id": rng.choice(SPACES),
        "request_no": request_no,
        "upstream_id": str(index),
        "state": state,
        "audit_result": audit,
        "request_type": request_type,
        "reason": reason,
        "company_legal_name": legal,
        "company_english_name": english,
        "business_account_name": account,
        "business_license_number": licence,
        "industry": industry,
        "contact_name": contact_name,
        "contact_email": email,
        "contact_phone": phone,
        "maap_service_no": maap,
        "gmt_create": created,
        "audit_time": modified if audited else None,
        "gmt_modified": modified,
        "audit_record": audit_record,
        "document": document,
        "destination_isos": destination_isos(document),
        "content_hash": f"{index:064x}",
        "fetched_at": modified,
        "last_request_id": "SEED",
        "state_changed_at": modified,
        "state_since": modified,
        "state_since_basis": "modified",
        "next_refresh_at": modified + timedelta(days=rng.randint(1, 30)),
        "created_at": modified,
        "updated_at": modified,
        "review_status": rng.choice(_REVIEW_STATUSES),
    }


@dataclass
class SeedResult:
    rows: int
    load_seconds: float
    index_seconds: float


def _columns():
    """Concrete columns to write, with the model default for those the generator leaves out."""
    columns = []
    for field in ViberApplication._meta.concrete_fields:
        if field.primary_key:
            continue
        if field.default is NOT_PROVIDED and not field.null:
            default = NOT_PROVIDED
        else:
            default = field.get_default()
        columns.append((field.attname, field.column, field.get_internal_type() == "JSONField", default))
    return columns


def seed_applications(
    *, count: int, seed: int = 1, start: int | None = None, rebuild_indexes: bool | None = None, progress=None
) -> SeedResult:
    """Insert ``count`` generated applications numbered from ``start`` (default: after the rows present).

    Side effects: DB writes; on PostgreSQL drops and rebuilds the table's secondary indexes when
    ``rebuild_indexes`` (default: loads of 50,000 rows or more), then VACUUM ANALYZE (ANALYZE
    alone inside a transaction, e.g. in a test).
    """
    if start is None:
        start = ViberApplication.objects.count()
    rng = random.Random(seed * 1_000_003 + start)
    until = seed_day()
    rows = (generate_row(rng, index, until=until) for index in range(start, start + count))
    if connection.vendor != "postgresql":
        started = time.perf_counter()
        _bulk_create(rows, progress)
        return SeedResult(count, time.perf_counter() - started, 0.0)
    if rebuild_indexes is None:
        rebuild_indexes = count >= 50_000
    dropped = _drop_secondary_indexes() if rebuild_indexes else []
    started = time.perf_counter()
    try:
        _copy(rows, progress)
    finally:
        load_seconds = time.perf_counter() - started
        started = time.perf_counter()
        _create_indexes(dropped)
        _settle()
    return SeedResult(count, load_seconds, time.perf_counter() - started)


def _settle():
    """What autovacuum does to a table that has settled: planner statistics, and (outside a
    transaction) the visibility map that lets the queue's index-only scans skip the heap."""
    statement = "VACUUM ANALYZE" if connection.get_autocommit() else "ANALYZE"
    with connection.cursor() as cursor:
        cursor.execute(f"{statement} {ViberApplication._meta.db_table}")


def _bulk_create(rows, progress, batch=2_000):
    fields = {attname for attname, *_ in _columns()}
    buffer = []
    for done, row in enumerate(rows, 1):
        buffer.append(ViberApplication(**{k: v for k, v in row.items() if k in fields}))
        if len(buffer) == batch:
            ViberApplication.objects.bulk_create(buffer)
            buffer.clear()
            if progress:
                progress(done)
    ViberApplication.objects.bulk_create(buffer)


def _copy(rows, progress, report_every=100_000):
    columns = _columns()
    names = ", ".join(f'"{column}"' for _, column, _, _ in columns)
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    table = ViberApplication._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SET LOCAL synchronous_commit = off" if not connection.get_autocommit() else "SET synchronous_commit = off"
        )
        raw = cursor.cursor  # psycopg 3 cursor under Django's wrapper
        with raw.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for done, row in enumerate(rows, 1):
                values = []
                for attname, _, is_json, default in columns:
                    value = row.get(attname, default)
                    if value is NOT_PROVIDED:
                        raise ValueError(f"the generator has no value for required column {attname}")
                    values.append(dumps(value) if is_json else value)
                copy.write_row(values)
                if progress and done % report_every == 0:
                    progress(done)


def _drop_secondary_indexes() -> list[tuple[str, str]]:
    """Drop indexes that back no constraint; return (name, definition) to rebuild them."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT i.indexname, i.indexdef FROM pg_indexes i
            WHERE i.tablename = %s AND i.schemaname = current_schema()
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
            """,
            [ViberApplication._meta.db_table],
        )
        indexes = cursor.fetchall()
        for name, _ in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
    return indexes


def _create_indexes(indexes, workers=2):
    """Rebuild with two sessions at once (one per core here); GIN builds like a big work_mem."""

    def build(definition):
        conn = connections.create_connection("default")
        try:
            with conn.cursor() as cursor:
                cursor.execute("SET maintenance_work_mem = '1GB'")
                cursor.execute(definition)
        finally:
            conn.close()

    # The GIN builds are the slow ones: start them first so the btrees fill the gaps.
    ordered = sorted(indexes, key=lambda item: " USING gin " not in item[1])
    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(build, [definition for _, definition in ordered]))
