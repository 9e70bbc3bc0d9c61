"""The simulator's data set: its vocabulary, determinism, documented records, and how records evolve."""

import unicodedata

from django.conf import settings

from applications.sandbox import dataset as ds
from applications.sandbox.evolution import RecordStore


def _scripts(text):
    found = set()
    for char in text:
        if char.isalpha():
            name = unicodedata.name(char, "")
            found |= {s for s in ("LATIN", "CYRILLIC", "CJK", "ARABIC") if name.startswith(s)}
    return found


def test_the_data_set_covers_the_vocabulary():
    data = ds.build_dataset()
    records = [record for record, _ in data.records()]
    assert len(records) >= 500
    assert {r["State"] for r in records} == set(settings.CAMS_CODE_TABLE["State"])
    assert {r["AuditResult"] for r in records} == set(settings.CAMS_CODE_TABLE["AuditResult"])
    assert {r["RequestType"] for r in records} == set(settings.CAMS_CODE_TABLE["RequestType"])
    scripts = set().union(*(_scripts(r["AuditRecord"].get("CompanyLegalName", "")) for r in records))
    assert {"LATIN", "CYRILLIC", "CJK", "ARABIC"} <= scripts
    assert all(len(r["RequestNo"]) == 10 and r["RequestNo"].isdigit() for r in records)
    assert any(not r["AuditRecord"].get("WebAddress", "x") for r in records)  # empty
    assert any("WebAddress" not in r["AuditRecord"] for r in records)  # missing
    assert any(e.startswith("[") for r in records for e in r["AuditRecord"].get("MessageDestinationCountry", []))
    assert any(
        "|" in e and not e.startswith("[")
        for r in records
        for e in r["AuditRecord"].get("MessageDestinationCountry", [])
    )


def test_the_data_set_is_deterministic():
    first = list(ds.build_dataset().records())
    ds._build.cache_clear()
    assert list(ds.build_dataset().records()) == first
    assert list(ds.build_dataset(seed=7).records()) != first


def test_the_hostile_and_sample_records_are_where_documented():
    hostile = ds.get_record(ds.HOSTILE_REQUEST_NO)
    assert "<script>" in hostile["AuditRecord"]["CompanyLegalName"]
    assert hostile["AuditRecord"]["WebAddress"].startswith("javascript:")
    samples = ds.sample_request_numbers()
    assert {ds.EXAMPLE_REQUEST_NO, ds.HOSTILE_REQUEST_NO} <= set(samples)
    assert all(ds.get_record(number) for number in samples)


def test_the_home_page_offers_the_simulators_own_samples():
    """The settings default mirrors the data set (the app never imports the simulator)."""
    from django.conf import settings

    assert list(settings.SIMULATOR_SAMPLE_REQUEST_NOS) == ds.sample_request_numbers()


def test_a_moving_record_advances_with_time():
    now = [1_000_000.0]
    store = RecordStore(ds.build_dataset(), evolve_seconds=10, clock=lambda: now[0])
    seen = []
    for _ in range(4):
        data = store.lookup(ds.MOVING_REQUEST_NO, None)
        seen.append((data["AuditResult"], data["State"], data["GmtModifier"]))
        now[0] += 10
    assert seen[0][:2] == ("unAudit", "I")
    assert seen[1][:2] == ("auditing", "I")
    assert seen[2][0] in {"pass", "reject"} and seen[2][1] in {"A", "P", "stop"}
    assert seen[3] == seen[2]  # settled
    assert seen[1][2] != seen[0][2] and seen[2][2] == str(int((1_000_000 + 20) * 1000))


def test_a_refresh_sees_a_manual_advance(cams_sdk_client, cams_simulator, viber_get):
    assert viber_get(cams_sdk_client, ds.MOVING_REQUEST_NO).body.data.audit_result == "unAudit"
    cams_simulator.advance(ds.MOVING_REQUEST_NO)
    assert viber_get(cams_sdk_client, ds.MOVING_REQUEST_NO).body.data.audit_result == "auditing"


def test_settled_records_never_change():
    store = RecordStore(ds.build_dataset(), evolve_seconds=0.001)
    assert store.lookup(ds.EXAMPLE_REQUEST_NO, None) == ds.load_example()["Data"]
