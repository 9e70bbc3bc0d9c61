"""Pure normalisation, checked field by field on the API document's own example."""

from datetime import UTC, datetime

import pytest

from applications.cams.parsing import (
    content_hash,
    flatten_string_list,
    parse_application,
    parse_destination,
    parse_table,
    parse_timestamp,
)
from tests.factories import example_body, make_body


@pytest.fixture
def parsed():
    return parse_application(example_body()["Data"])


def test_it_reads_every_top_level_field_of_the_example(parsed):
    assert parsed.request_no == "5435435435"
    assert parsed.upstream_id == "11"
    assert parsed.state == "A"
    assert parsed.audit_result == "pass"
    assert parsed.request_type == "viberOpen"
    assert parsed.reason == "aa"
    assert parsed.creator == "11"
    assert parsed.modifier == "11"
    assert parsed.maap_service_no == "735221"
    assert parsed.subscriber_code == "4534**"
    assert parsed.gmt_create == datetime(2025, 7, 23, 2, 7, 6, tzinfo=UTC)


def test_it_leaves_implausible_times_unparsed_but_keeps_them_raw(parsed):
    # The example's AuditTime "1785465" and GmtModifier "17833636" are not real times.
    assert parsed.audit_time is None
    assert parsed.gmt_modified is None
    assert parsed.raw["AuditTime"] == "1785465"
    assert parsed.raw["GmtModifier"] == "17833636"


def test_it_reads_every_audit_record_field_of_the_example(parsed):
    expected = example_body()["Data"]["AuditRecord"]
    record = parsed.audit_record
    assert set(record) == set(expected)
    for key, value in expected.items():
        if key in ("Logo", "MessageDestinationCountry", "MessageDestinationInternationalCountry"):
            continue
        assert record[key] == value, key
    assert parsed.company_legal_name == "xxxxxxcompany"
    assert parsed.company_english_name == "english"
    assert parsed.business_account_name == "aaaa"
    assert parsed.business_license_number == "43645465465"
    assert parsed.industry == "cateringServices"
    assert parsed.contact_name == "qwq"
    assert parsed.contact_email == "6944**@gmail.com"
    assert parsed.contact_phone == "861151515***"


def test_it_flattens_json_encoded_array_elements(parsed):
    assert parsed.logos == ["http://xxx", "http://xxxx"]
    assert parsed.audit_record["MessageDestinationCountry"] == ["61|es"]
    assert parsed.audit_record["MessageDestinationInternationalCountry"] == ["355|AL"]


def test_it_turns_destinations_into_dial_code_iso_and_country_name(parsed):
    (international,) = parsed.destinations_international
    assert (international.dial_code, international.iso, international.name) == ("355", "AL", "Albania")
    (local,) = parsed.destinations_local
    assert (local.dial_code, local.iso, local.name) == ("61", "ES", "Spain")


def test_it_keeps_address_and_telephone_tables(parsed):
    assert parsed.addresses == [{"CompanyAddress": "address", "CompanyAddressTitle": "111"}]
    assert parsed.telephones == [{"CompanyTelNumber": "134213213", "CompanyTelTitle": "xxx"}]


def test_it_keeps_unknown_fields_at_both_levels():
    body = make_body(FutureField={"x": 1}, audit_record={"BrandColour": "#7360f2"})
    parsed = parse_application(body["Data"])
    assert parsed.extra == {"FutureField": {"x": 1}}
    assert parsed.audit_record["BrandColour"] == "#7360f2"


def test_the_document_is_json_ready(parsed):
    import json

    document = parsed.document()
    assert json.loads(json.dumps(document))["gmt_create"] == "2025-07-23T02:07:06+00:00"


@pytest.mark.parametrize(
    "value, expected",
    [
        ("1753236426000", datetime(2025, 7, 23, 2, 7, 6, tzinfo=UTC)),
        (1753236426000, datetime(2025, 7, 23, 2, 7, 6, tzinfo=UTC)),
        ("1753236426", datetime(2025, 7, 23, 2, 7, 6, tzinfo=UTC)),
        ("20250106", datetime(2025, 1, 6, tzinfo=UTC)),
        ("20251624", None),
        ("", None),
        (None, None),
        ("garbage", None),
        ("-5", None),
        ("99999999999999999999999", None),
        ("1785465", None),
        ("①⑦⑤③②③⑥④②⑥⓪⓪⓪", None),  # digits to str.isdigit, not to int()
        ("١٧٥٣٢٣٦٤٢٦٠٠٠", None),
    ],
)
def test_it_parses_timestamps_defensively(value, expected):
    assert parse_timestamp(value) == expected


@pytest.mark.parametrize(
    "value, expected",
    [
        (['["355|AL"]'], ["355|AL"]),
        (['["1|AI","374|AM"]', "213|DZ"], ["1|AI", "374|AM", "213|DZ"]),
        (["[not json"], ["[not json"]),
        (None, []),
        ("", []),
        ("single", ["single"]),
        ([["nested", "list"]], ["nested", "list"]),
        (["", "  "], []),
    ],
)
def test_it_flattens_lists_defensively(value, expected):
    assert flatten_string_list(value) == expected


def test_it_reads_country_names_and_unknown_codes():
    assert parse_destination("213|DZ").name == "Algeria"
    assert parse_destination("+7|ru").iso == "RU"
    unknown = parse_destination("999|ZZ")
    assert (unknown.iso, unknown.name) == ("ZZ", "ZZ")
    named = parse_destination("阿尔及利亚")
    assert (named.iso, named.name) == ("", "阿尔及利亚")


def test_it_tolerates_junk_in_tables():
    assert parse_table("not json", ("t", "v")) == [{"v": "not json"}]
    assert parse_table(None, ("t", "v")) == []
    assert parse_table([{"v": 5}, "x", None], ("t", "v")) == [{"v": "5"}, {"v": "x"}]


def test_it_rejects_data_that_is_not_an_object():
    with pytest.raises(ValueError):
        parse_application("a string")


def test_missing_optional_fields_give_empty_values():
    parsed = parse_application({"RequestNo": "1"})
    assert parsed.company_legal_name == "" and parsed.logos == [] and parsed.gmt_create is None


def test_the_content_hash_ignores_key_order_but_not_values():
    assert content_hash({"a": 1, "b": 2}) == content_hash({"b": 2, "a": 1})
    assert content_hash({"a": 1}) != content_hash({"a": 2})
