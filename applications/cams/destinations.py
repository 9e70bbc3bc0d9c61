"""Does a destination's dial code belong to its country? ``61|ES`` says +61 (Australia) and Spain.

CAMS takes destinations as ``<dial code>|<ISO country>`` typed by the applicant, and nothing
upstream checks that the two agree. The dial codes per region come from Google's libphonenumber
metadata (the ``phonenumbers`` package), the table phone systems themselves use; pycountry has none.
Pure: no database, no network.

# Reference: https://www.itu.int/pub/T-SP-E.164D (ITU-T E.164 assigned country codes)
# Reference: https://github.com/daviddrysdale/python-phonenumbers
"""

import phonenumbers
import pycountry

from .fields import DESTINATION_FIELDS
from .parsing import country_name

# Codes people write that ISO 3166 does not have, for countries it does.
_ISO_ALIASES = {"UK": "GB"}
_UNKNOWN_REGIONS = {"ZZ", "001"}  # libphonenumber's "no region" and "non-geographic" markers


def _get(entry, name: str) -> str:
    value = entry.get(name) if isinstance(entry, dict) else getattr(entry, name, "")
    return str(value or "").strip()


def normalise_iso(iso: str) -> str:
    """An ISO 3166 alpha-2 code from alpha-2, alpha-3 or a common alias; "" if it is none of them."""
    iso = (iso or "").strip().upper()
    iso = _ISO_ALIASES.get(iso, iso)
    if len(iso) == 3 and iso.isalpha():
        country = pycountry.countries.get(alpha_3=iso)
        return country.alpha_2 if country else ""
    return iso if len(iso) == 2 and iso.isalpha() else ""


def country_calling_code(dial_code: str) -> int | None:
    """The E.164 country code a written dial code starts with: ``+61`` -> 61, ``1264`` (Anguilla,
    written with its area code) -> 1, ``00 44`` -> 44; None if it has none."""
    digits = "".join(ch for ch in (dial_code or "") if ch.isdigit())
    if (dial_code or "").strip().startswith("00"):
        digits = digits[2:]
    # Country codes are a prefix code (no code starts another), so at most one prefix fits.
    for length in (1, 2, 3):
        code = digits[:length]
        if len(code) == length and phonenumbers.region_code_for_country_code(int(code)) not in _UNKNOWN_REGIONS:
            return int(code)
    return None


def dial_code_check(entry) -> dict:
    """Compare a destination's dial code with its country.

    ``entry`` is a normalised destination (``parsing.Destination`` or its dict form, with
    ``dial_code`` and ``iso``). Returns::

        {"dial_code": "61", "iso": "ES",
         "dial_code_country": "AU", "dial_code_country_name": "Australia",
         "dial_code_countries": ["AU", "CC", "CX"],   # every region sharing the code
         "iso_dial_code": "34",                         # the country's own code, "" if unknown
         "mismatch": True}

    ``mismatch`` is True only when both sides are present and known to disagree: a shared code
    (+1 for the US, Canada and the Caribbean, +7 for Russia and Kazakhstan) matches each of its
    regions, and a country with no dial code in the table (Antarctica) is never flagged.
    """
    dial_code = _get(entry, "dial_code").lstrip("+").strip()
    iso = normalise_iso(_get(entry, "iso"))
    code = country_calling_code(dial_code) if dial_code else None
    regions = [r for r in phonenumbers.region_codes_for_country_code(code) if r not in _UNKNOWN_REGIONS] if code else []
    iso_code = phonenumbers.country_code_for_region(iso) if iso else 0
    if not dial_code or not iso:
        mismatch = False
    elif regions:
        mismatch = iso not in regions and bool(iso_code)
    else:  # a dial code no country has, against a country that has one
        mismatch = bool(iso_code)
    main_region = phonenumbers.region_code_for_country_code(code) if code else ""
    main_region = "" if main_region in _UNKNOWN_REGIONS else main_region
    return {
        "dial_code": dial_code,
        "iso": iso,
        "dial_code_country": main_region,
        "dial_code_country_name": country_name(main_region) if main_region else "",
        "dial_code_countries": regions,
        "iso_dial_code": str(iso_code) if iso_code else "",
        "mismatch": mismatch,
    }


def destination_isos(document: dict) -> list[str]:
    """The distinct ISO codes among a normalised document's destinations, sorted (for the filter column)."""
    codes = set()
    for attribute in DESTINATION_FIELDS.values():
        for item in document.get(attribute) or ():
            iso = item.get("iso") if isinstance(item, dict) else None
            if isinstance(iso, str) and iso:
                codes.add(iso.upper())
    return sorted(codes)
