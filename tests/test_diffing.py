"""Snapshot diffs on the API document's example: scalar fields and the nested lists."""

from applications.cams.parsing import parse_application
from applications.diffing import ADDED, CHANGED, REMOVED, Change, diff_values, snapshot_changes, value_text
from tests.factories import make_body


def document(**overrides) -> dict:
    return parse_application(make_body(**overrides)["Data"]).document()


def test_identical_snapshots_have_no_changes():
    assert snapshot_changes(document(), document()) == []


def test_a_resubmission_shows_each_changed_field_once_under_its_upstream_name():
    before = document(State="I", AuditResult="reject", Reason="Logo unclear")
    after = document(State="I", AuditResult="auditing", Reason="", audit_record={"CompanyEnglishName": "Acme"})
    changes = {change.path: change for change in snapshot_changes(before, after)}
    assert changes["AuditResult"] == Change("AuditResult", CHANGED, "reject", "auditing")
    assert changes["Reason"] == Change("Reason", CHANGED, "Logo unclear", "")
    assert changes["CompanyEnglishName"] == Change("CompanyEnglishName", CHANGED, "english", "Acme")
    assert "State" not in changes
    assert set(changes) == {"AuditResult", "Reason", "CompanyEnglishName"}


def test_an_edited_address_row_shows_the_one_column_that_changed():
    before = document(
        audit_record={
            "CompanyAddress": [
                {"CompanyAddressTitle": "HQ", "CompanyAddress": "1 Old St"},
                {"CompanyAddressTitle": "Shop", "CompanyAddress": "2 Side St"},
            ]
        }
    )
    after = document(
        audit_record={
            "CompanyAddress": [
                {"CompanyAddressTitle": "HQ", "CompanyAddress": "9 New Rd"},
                {"CompanyAddressTitle": "Shop", "CompanyAddress": "2 Side St"},
            ]
        }
    )
    assert snapshot_changes(before, after) == [
        Change("CompanyAddress[1].CompanyAddress", CHANGED, "1 Old St", "9 New Rd")
    ]


def test_telephones_added_and_removed_when_the_count_changes():
    before = document(audit_record={"CompanyTel": [{"CompanyTelTitle": "Office", "CompanyTelNumber": "111"}]})
    after = document(
        audit_record={
            "CompanyTel": [
                {"CompanyTelTitle": "Office", "CompanyTelNumber": "222"},
                {"CompanyTelTitle": "Mobile", "CompanyTelNumber": "333"},
            ]
        }
    )
    changes = snapshot_changes(before, after)
    assert Change("CompanyTel[]", REMOVED, {"CompanyTelTitle": "Office", "CompanyTelNumber": "111"}, None) in changes
    assert Change("CompanyTel[]", ADDED, None, {"CompanyTelTitle": "Mobile", "CompanyTelNumber": "333"}) in changes
    assert len(changes) == 3


def test_destination_countries_compare_as_sets_even_when_json_encoded_upstream():
    before = document(audit_record={"MessageDestinationCountry": ['["61|es"]', '["355|AL"]']})
    after = document(audit_record={"MessageDestinationCountry": ['["355|AL","49|DE"]']})
    assert snapshot_changes(before, after) == [
        Change("MessageDestinationCountry[]", REMOVED, "Spain (61|es)", None),
        Change("MessageDestinationCountry[]", ADDED, None, "Germany (49|DE)"),
    ]


def test_reordered_destinations_are_not_a_change():
    before = document(audit_record={"MessageDestinationInternationalCountry": ["355|AL", "49|DE"]})
    after = document(audit_record={"MessageDestinationInternationalCountry": ["49|DE", "355|AL"]})
    assert snapshot_changes(before, after) == []


def test_new_and_dropped_fields_are_added_and_removed():
    before = document(audit_record={"ContactPosition": "CEO"})
    after = document(audit_record={"ContactPosition": None, "BrandNewField": "x"}, NewTopLevel="y")
    changes = snapshot_changes(before, after)
    assert Change("ContactPosition", REMOVED, "CEO", None) in changes
    assert Change("BrandNewField", ADDED, None, "x") in changes
    assert Change("Data.NewTopLevel", ADDED, None, "y") in changes


def test_duplicates_in_a_list_count():
    assert diff_values(["a", "a"], ["a"], "L") == [Change("L[]", REMOVED, "a", None)]


def test_the_first_snapshot_against_nothing_lists_every_field_as_added():
    changes = snapshot_changes({}, document())
    assert changes and all(change.kind in (ADDED, CHANGED) for change in changes)


def test_values_read_as_one_line():
    assert (
        value_text({"CompanyTelTitle": "Office", "CompanyTelNumber": "111"})
        == "CompanyTelTitle: Office · CompanyTelNumber: 111"
    )
    assert value_text(["a", "b"]) == "a, b" and value_text(None) == "null"
