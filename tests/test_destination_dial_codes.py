"""Destinations whose dial code belongs to another country than their ISO code are flagged."""

import pytest

from applications.cams.destinations import country_calling_code, dial_code_check
from applications.cams.parsing import parse_application, parse_destination
from tests.factories import make_body


def test_australias_dial_code_with_spain_is_a_mismatch():
    check = dial_code_check(parse_destination("61|es"))
    assert check["mismatch"] is True
    assert (check["dial_code_country"], check["dial_code_country_name"]) == ("AU", "Australia")
    assert check["iso"] == "ES" and check["iso_dial_code"] == "34"
    assert "AU" in check["dial_code_countries"]


@pytest.mark.parametrize(
    "entry",
    [
        "355|AL",
        "+34|ES",
        "1|US",
        "1|CA",
        "1|JM",
        "7|KZ",
        "7|RU",
        "44|GB",
        "44|JE",
        "44|UK",
        "61|CX",
        "383|XK",
        "1264|AI",  # Anguilla written with its area code
        "0044|GB",
        "34|ESP",
    ],
)
def test_matching_and_shared_dial_codes_are_not_flagged(entry):
    assert dial_code_check(parse_destination(entry))["mismatch"] is False


@pytest.mark.parametrize("entry, dial_country", [("1|GB", "US"), ("44|US", "GB"), ("7|UA", "RU"), ("86|TW", "CN")])
def test_other_mismatches_name_the_dial_codes_country(entry, dial_country):
    check = dial_code_check(parse_destination(entry))
    assert (check["mismatch"], check["dial_code_country"]) == (True, dial_country)


def test_a_dial_code_no_country_has_is_a_mismatch_with_a_real_country():
    check = dial_code_check({"dial_code": "999", "iso": "ES"})
    assert check["mismatch"] is True
    assert (check["dial_code_country"], check["dial_code_countries"]) == ("", [])


@pytest.mark.parametrize(
    "entry",
    [
        {"dial_code": "", "iso": "ES"},
        {"dial_code": "61", "iso": ""},
        {"dial_code": "672", "iso": "AQ"},
        {"dial_code": "61", "iso": "XX"},
        {},
    ],
)
def test_what_cannot_be_judged_is_not_flagged(entry):
    assert dial_code_check(entry)["mismatch"] is False


def test_a_bare_country_name_has_nothing_to_compare():
    check = dial_code_check(parse_destination("Spain"))
    assert check["mismatch"] is False and check["dial_code"] == ""


def test_it_reads_the_normalised_document_form():
    parsed = parse_application(
        make_body(
            audit_record={
                "MessageDestinationCountry": ["61|es"],
                "MessageDestinationInternationalCountry": ["355|AL"],
            }
        )["Data"]
    )
    assert dial_code_check(parsed.document()["destinations_local"][0])["mismatch"] is True
    assert dial_code_check(parsed.destinations_international[0])["mismatch"] is False


@pytest.mark.parametrize(
    "written, code",
    [("61", 61), ("+61", 61), ("1264", 1), ("00 44", 44), ("3906", 39), ("999", None), ("", None), ("abc", None)],
)
def test_the_country_code_a_written_dial_code_starts_with(written, code):
    assert country_calling_code(written) == code
