"""Bulk-insert N synthetic applications for the review-queue benchmark (bulk_create, no CAMS).

Rows look like stored applications as far as the queue reads them: codes, names, times,
destination countries in ``document``. Deterministic for a given seed. Request numbers start
with ``8`` so they never collide with the simulator's.
"""
import random
from datetime import UTC, datetime, timedelta

from django.db import connection

from applications.models import ViberApplication

_STATES = [("A", "pass", 45), ("I", "auditing", 20), ("I", "unAudit", 10), ("I", "reject", 10), ("P", "pass", 5),
           ("R", "auditing", 5), ("stop", "reject", 5)]
_TYPES = ["viberOpen", "viberUpdate", "viberSuspend", "viberRecover", "viberCountry"]
_INDUSTRIES = ["cateringServices", "retail", "finance", "travel", "health", "education", "logistics", "gaming",
               "telecom", "insurance", "realEstate", "media"]
_COUNTRIES = [("49", "DE"), ("33", "FR"), ("34", "ES"), ("39", "IT"), ("44", "GB"), ("355", "AL"), ("61", "AU"),
              ("81", "JP"), ("65", "SG"), ("971", "AE")]
_REVIEW = ["new"] * 14 + ["acknowledged", "following_up", "escalated", "resolved", "resolved", "resolved"]
_WORDS = ["Acme", "Bolt", "Cedar", "Delta", "Echo", "Fable", "Garnet", "Harbor", "Iris", "Juniper", "Kite", "Lumen",
          "Maple", "Nova", "Orbit", "Pine", "Quartz", "River", "Summit", "Tango"]
_SUFFIXES = ["Foods", "Travel", "Bank", "Retail", "Health", "Media", "Logistics", "Games", "Telecom", "Insurance"]


def _row(rng: random.Random, index: int, now: datetime, weights) -> ViberApplication:
    state, audit, _ = rng.choices(_STATES, weights=weights)[0]
    created = now - timedelta(seconds=rng.randint(0, 365 * 86400))
    audited = created + timedelta(seconds=rng.randint(3600, 20 * 86400)) if audit in ("pass", "reject") else None
    if audited and audited > now:
        audited = now
    name = f"{rng.choice(_WORDS)} {rng.choice(_WORDS)} {rng.choice(_SUFFIXES)} {index}"
    local = [{"raw": f"{d}|{iso}", "dial_code": d, "iso": iso, "name": iso} for d, iso in rng.sample(_COUNTRIES, 1)]
    international = [{"raw": f"{d}|{iso}", "dial_code": d, "iso": iso, "name": iso}
                     for d, iso in rng.sample(_COUNTRIES, rng.randint(0, 3))]
    return ViberApplication(
        request_no=f"8{index:011d}", upstream_id=str(index), state=state, audit_result=audit,
        request_type=rng.choice(_TYPES), reason="Logo unclear" if audit == "reject" else "",
        company_legal_name=name + " Ltd", company_english_name=name, business_account_name=name.split()[0],
        business_license_number=f"BL{index:09d}", industry=rng.choice(_INDUSTRIES),
        gmt_create=created, audit_time=audited, gmt_modified=audited or created,
        document={"destinations_local": local, "destinations_international": international},
        content_hash=f"{index:064x}", fetched_at=now, state_changed_at=audited or created,
        review_status=rng.choice(_REVIEW), next_refresh_at=now + timedelta(days=1),
    )


def seed_queue(*, count: int, seed: int = 4, batch: int = 5_000, start: int = 0, progress=None) -> int:
    """Insert ``count`` applications numbered from ``start``; returns how many were inserted."""
    rng = random.Random(seed + start)
    now = datetime.now(UTC)
    weights = [weight for _, _, weight in _STATES]
    done = 0
    while done < count:
        size = min(batch, count - done)
        ViberApplication.objects.bulk_create([_row(rng, start + done + i, now, weights) for i in range(size)])
        done += size
        if progress:
            progress(done)
    if connection.vendor == "postgresql":
        # What autovacuum does to a table that has settled: statistics, and the visibility map
        # that lets index-only scans skip the heap.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE applications_viberapplication")
    return done
