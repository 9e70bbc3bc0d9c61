"""Raw upstream values beside parsed ones: the document example, implausible times, null vs "".

Pure: the parser and the snapshot diff on the API document's own example, no database.
"""

import json

import pytest

from applications.cams.parsing import parse_application
from applications.diffing import CHANGED, Change, snapshot_changes, value_text
from tests.factories import example_body, make_body


def document(**overrides) -> dict:
    return parse_application(make_body(**overrides)["Data"]).document()


def test_the_document_example_round_trips_through_json_with_its_times_as_sent():
    data = example_body()["Data"]
    doc = parse_application(data).document()
    assert json.loads(json.dumps(doc)) == doc
    assert doc["as_sent"] == {"GmtCreate": "1753236426000", "AuditTime": "1785465", "GmtModifier": "17833636"}
    assert doc["gmt_create"] == "2025-07-23T02:07:06+00:00"
    # 1785465 ms and 17833636 ms are minutes after 1 Jan 1970: kept raw, parsed as nothing, flagged.
    assert doc["audit_time"] is None and doc["gmt_modified"] is None
    assert doc["implausible_times"] == ["AuditTime", "GmtModifier"]
    assert parse_application(data).document() == doc  # deterministic


@pytest.mark.parametrize("raw", [-1693967071000, "-5", "99999999999999999", "soon", "17e11", "1693967071000x"])
def test_an_implausible_time_keeps_its_raw_value_and_a_flag(raw):
    doc = document(AuditTime=raw)
    assert doc["audit_time"] is None
    assert doc["as_sent"]["AuditTime"] == raw
    assert "AuditTime" in doc["implausible_times"]


def test_a_plausible_time_is_parsed_and_still_kept_as_sent_without_a_flag():
    doc = document(AuditTime=1693967071000)
    assert doc["audit_time"] == "2023-09-06T02:24:31+00:00"
    assert doc["as_sent"]["AuditTime"] == 1693967071000
    assert "AuditTime" not in doc["implausible_times"]


def test_a_missing_null_or_empty_time_is_not_flagged_but_null_and_empty_are_kept_apart():
    missing, empty = document(AuditTime=None), document(AuditTime="")
    assert "AuditTime" not in missing["as_sent"] and "AuditTime" not in missing["implausible_times"]
    body = example_body()
    body["Data"]["AuditTime"] = None
    null = parse_application(body["Data"]).document()
    assert null["as_sent"]["AuditTime"] is None and empty["as_sent"]["AuditTime"] == ""
    assert "AuditTime" not in null["implausible_times"] and "AuditTime" not in empty["implausible_times"]


def test_a_change_in_an_implausible_time_only_shows_in_the_diff_and_the_hash():
    before, after = (parse_application(make_body(AuditTime=raw)["Data"]) for raw in ("1785465", "-5"))
    assert before.audit_time is None and after.audit_time is None
    assert before.content_hash != after.content_hash
    assert snapshot_changes(before.document(), after.document()) == [
        Change("AuditTime (raw)", CHANGED, '"1785465"', '"-5"')
    ]


def test_a_valid_time_that_moves_shows_once_and_one_turning_implausible_shows_its_raw_value():
    moved = snapshot_changes(document(GmtModifier="1693967071000"), document(GmtModifier="1693967072000"))
    assert [change.path for change in moved] == ["GmtModifier"]
    broken = {change.path: change for change in snapshot_changes(document(AuditTime="1693967071000"), document())}
    assert broken["AuditTime"] == Change("AuditTime", CHANGED, "2023-09-06T02:24:31+00:00", None)
    assert broken["AuditTime (raw)"] == Change("AuditTime (raw)", CHANGED, '"1693967071000"', '"1785465"')


def test_a_raw_only_change_in_a_valid_time_shows_in_the_diff():
    # Same instant, sent once as a number and once as a string: the hash differs, so must the diff.
    changes = snapshot_changes(document(GmtCreate=1753236426000), document(GmtCreate="1753236426000"))
    assert changes == [Change("GmtCreate (raw)", CHANGED, "1753236426000", '"1753236426000"')]


def test_null_and_empty_are_different_changes_at_the_top_level_and_in_the_audit_record():
    def with_nulls(value):
        body = example_body()
        body["Data"]["Reason"] = value
        body["Data"]["AuditRecord"]["ContactName"] = value
        return parse_application(body["Data"]).document()

    changes = {change.path: change for change in snapshot_changes(with_nulls(""), with_nulls(None))}
    assert changes == {
        "Reason": Change("Reason", CHANGED, "", None),
        "ContactName": Change("ContactName", CHANGED, "", None),
    }


def test_null_empty_and_empty_list_read_differently_in_diff_rows():
    texts = [value_text(None), value_text(""), value_text([]), value_text("x")]
    assert texts == ["null", "(empty)", "(no entries)", "x"]
    assert value_text({"CompanyTelTitle": "", "CompanyTelNumber": None}) == (
        "CompanyTelTitle: (empty) · CompanyTelNumber: null"
    )


def test_documents_stored_before_raw_values_were_kept_compare_without_spurious_rows():
    old = document()
    old.pop("as_sent")
    old.pop("implausible_times")
    assert snapshot_changes(old, document()) == []
    assert [change.path for change in snapshot_changes(old, document(State="I"))] == ["State"]
