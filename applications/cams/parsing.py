"""Pure normalisation of a GetViberByRequestNo ``Data`` object into a typed record.

No I/O and no Django models here, so every rule is unit-tested on the API document's own
example. Upstream types are loose (every field is a string, some array elements are
JSON-encoded arrays, some "times" are not times), so each helper tolerates garbage and keeps
the raw value beside the parsed one instead of failing.

# Reference: https://www.alibabacloud.com/help/en/chatapp/developer-reference/api-cams-2020-06-06-getviberbyrequestno
"""

import hashlib
import json
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime

import pycountry

# Fields known by name; a Data field outside DATA_FIELDS is kept in ``extra`` so a new upstream
# field is never silently dropped.
from .fields import (
    AUDIT_RECORD,
    DATA_ATTRIBUTES,
    DATA_FIELDS,
    DESTINATION_FIELDS,
    LIST_FIELDS,
    LOGO,
    TABLE_FIELDS,
    TIME_FIELDS,
)

# Times before this are not plausible for a Viber application (the document's own example
# has AuditTime "1785465", which as epoch-ms is 00:29 on 1 Jan 1970): shown raw, not parsed.
_EARLIEST_PLAUSIBLE = datetime(2000, 1, 1, tzinfo=UTC)
_LATEST_PLAUSIBLE = datetime(2200, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Destination:
    """One destination entry such as ``355|AL``: dial code, ISO country and a readable name."""

    raw: str
    dial_code: str
    iso: str
    name: str


@dataclass
class ParsedApplication:
    request_no: str
    upstream_id: str
    state: str
    audit_result: str
    request_type: str
    reason: str
    creator: str
    modifier: str
    maap_service_no: str
    subscriber_code: str
    gmt_create: datetime | None
    audit_time: datetime | None
    gmt_modified: datetime | None
    company_legal_name: str
    company_english_name: str
    business_account_name: str
    business_license_number: str
    industry: str
    contact_name: str
    contact_email: str
    contact_phone: str
    logos: list[str]
    destinations_local: list[Destination]
    destinations_international: list[Destination]
    addresses: list[dict]
    telephones: list[dict]
    audit_record: dict  # every AuditRecord field, list fields flattened, unknown ones included
    extra: dict  # unknown top-level Data fields
    raw: dict  # Data exactly as received
    content_hash: str = field(default="")

    def document(self):
        """JSON-ready normalised view (stored beside the raw response).

        Besides the parsed fields it keeps ``as_sent`` (see ``values_as_sent``) and
        ``implausible_times``, the time fields sent with a value that did not parse, so every
        change in what CAMS sent is also a change in the document.
        """
        doc = asdict(self)
        for key in (DATA_ATTRIBUTES[name] for name in TIME_FIELDS):
            doc[key] = doc[key].isoformat() if doc[key] else None
        raw = doc.pop("raw")
        doc["as_sent"] = values_as_sent(raw)
        doc["implausible_times"] = [
            name for name in TIME_FIELDS if text(raw.get(name)) and getattr(self, DATA_ATTRIBUTES[name]) is None
        ]
        return doc


def text(value) -> str:
    """Upstream says every field is a string, but from_map coerces nothing: normalise."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _kept_verbatim(value) -> bool:
    """True when the normalised text of ``value`` is ``value`` itself (a string with no padding)."""
    return isinstance(value, str) and value == value.strip()


def values_as_sent(data: dict) -> dict:
    """Upstream scalars whose parsed form cannot show them exactly, as sent.

    Every time field (its parsed form is a datetime, or None when implausible), and any other
    scalar that is null, not a string, or padded with spaces (the normalised text is ``""`` for
    null, so null and ``""`` would look alike). Keyed by upstream name, ``AuditRecord.<name>``
    for record fields; structured values (lists, rows, objects) are compared as parsed.
    """
    if not isinstance(data, dict):
        return {}
    sent = {name: data[name] for name in TIME_FIELDS if name in data}
    sent.update(
        {
            name: data[name]
            for name in DATA_ATTRIBUTES
            if name in data and name not in TIME_FIELDS and not _kept_verbatim(data[name])
        }
    )
    record = data.get(AUDIT_RECORD)
    if isinstance(record, dict):
        sent.update(
            {
                f"{AUDIT_RECORD}.{name}": value
                for name, value in record.items()
                if name not in LIST_FIELDS
                and name not in TABLE_FIELDS
                and not isinstance(value, (dict, list))
                and not _kept_verbatim(value)
            }
        )
    return sent


def parse_timestamp(value) -> datetime | None:
    """Epoch milliseconds (or seconds, or YYYYMMDD) as an aware UTC datetime; None if implausible."""
    raw = text(value)
    if not (raw.isascii() and raw.isdigit()):  # "①" or "٣" are digits to str.isdigit, not to int()
        return None
    parsed = None
    if len(raw) == 8:
        try:
            parsed = datetime.combine(date(int(raw[:4]), int(raw[4:6]), int(raw[6:])), datetime.min.time(), UTC)
        except ValueError:
            return None
    else:
        number = int(raw)
        seconds = number / 1000 if len(raw) >= 12 else number
        try:
            parsed = datetime.fromtimestamp(seconds, UTC)
        except (OverflowError, OSError, ValueError):
            return None
    if not (_EARLIEST_PLAUSIBLE <= parsed < _LATEST_PLAUSIBLE):
        return None
    return parsed


def flatten_string_list(value) -> list[str]:
    """Flatten arrays whose elements may be JSON-encoded arrays: ``['["a","b"]', 'c']`` -> a, b, c."""
    if value is None or value == "":
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        return [text(value)]
    out = []
    for element in value:
        if isinstance(element, list):
            out.extend(flatten_string_list(element))
            continue
        element_text = text(element)
        if element_text.startswith("["):
            try:
                decoded = json.loads(element_text)
            except ValueError:
                decoded = None
            if isinstance(decoded, list):
                out.extend(flatten_string_list(decoded))
                continue
        if element_text:
            out.append(element_text)
    return out


def country_name(iso: str) -> str:
    if not iso:
        return ""
    country = pycountry.countries.get(alpha_2=iso.upper())
    if country is None and len(iso) == 3:
        country = pycountry.countries.get(alpha_3=iso.upper())
    return getattr(country, "common_name", None) or getattr(country, "name", "") if country else ""


def parse_destination(entry: str) -> Destination:
    """``355|AL`` -> dial code 355, ISO AL, Albania. A bare name (as ListViber... returns) stays a name."""
    entry = text(entry)
    if "|" in entry:
        dial, _, iso = entry.partition("|")
        dial, iso = dial.strip().lstrip("+"), iso.strip().upper()
        return Destination(raw=entry, dial_code=dial, iso=iso, name=country_name(iso) or iso)
    if len(entry) in (2, 3) and entry.isalpha() and entry.isascii():
        name = country_name(entry)
        if name:
            return Destination(raw=entry, dial_code="", iso=entry.upper(), name=name)
    return Destination(raw=entry, dial_code="", iso="", name=entry)


def parse_table(value, columns) -> list[dict]:
    """CompanyAddress / CompanyTel rows; tolerate a JSON string or junk in place of the list."""
    if isinstance(value, str):
        try:
            value = json.loads(value) if value.strip() else []
        except ValueError:
            return [{columns[1]: value}]
    if isinstance(value, dict):
        value = [value]
    if not isinstance(value, list):
        return []
    rows = []
    for row in value:
        if isinstance(row, dict):
            rows.append({key: text(val) for key, val in row.items()})
        elif text(row):
            rows.append({columns[1]: text(row)})
    return rows


def content_hash(data: dict) -> str:
    canonical = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def normalise_audit_record(record) -> dict:
    if not isinstance(record, dict):
        return {}
    out = {}
    for key, value in record.items():
        if key in LIST_FIELDS:
            out[key] = flatten_string_list(value)
        elif key in TABLE_FIELDS:
            out[key] = parse_table(value, TABLE_FIELDS[key])
        elif isinstance(value, (dict, list)):
            out[key] = value  # an unknown structured field: keep as is
        else:
            out[key] = text(value)
    return out


def parse_application(data: dict) -> ParsedApplication:
    """Normalise one ``Data`` object. Raises ValueError only if it is not an object at all."""
    if not isinstance(data, dict):
        raise ValueError(f"Data must be an object, got {type(data).__name__}")
    record = normalise_audit_record(data.get(AUDIT_RECORD))
    get = record.get
    parsed = ParsedApplication(
        **{
            attribute: (parse_timestamp if key in TIME_FIELDS else text)(data.get(key))
            for key, attribute in DATA_ATTRIBUTES.items()
        },
        company_legal_name=get("CompanyLegalName", ""),
        company_english_name=get("CompanyEnglishName", ""),
        business_account_name=get("BusinessAccountName", ""),
        business_license_number=get("BusinessLicenseRegistrationNumber", ""),
        industry=get("IndustryInvolved", ""),
        contact_name=get("ContactName", ""),
        # The record has both ContactEmail and an older ContactMail; prefer the address-shaped one.
        contact_email=get("ContactEmail", "") or get("ContactMail", ""),
        contact_phone=get("ContactPhone", ""),
        logos=record.get(LOGO, []),
        **{
            attribute: [parse_destination(entry) for entry in record.get(key, [])]
            for key, attribute in DESTINATION_FIELDS.items()
        },
        addresses=record.get("CompanyAddress", []),
        telephones=record.get("CompanyTel", []),
        audit_record=record,
        extra={key: value for key, value in data.items() if key not in DATA_FIELDS},
        raw=data,
    )
    parsed.content_hash = content_hash(data)
    return parsed
