"""A deterministic data set of Viber applications for the CAMS simulator.

Everything derives from one seed (no network, no files besides the document's example), so two
builds with the same seed are identical and tests can name records. The shapes follow the API
document and the SDK model: every field is a string, list elements may be JSON-encoded arrays
(``"[\\"355|AL\\"]"``), optional fields are sometimes empty and sometimes missing.

Fixed request numbers (documented so the UI and its tests can use them):
- ``5435435435``: the API document's example response, verbatim (``Success: false`` included).
- ``6660000001``: hostile strings (``<script>`` in names, ``javascript:`` URLs) for escaping tests.
- ``6660000002``: more hostile text: template syntax, bidi override, very long values.
- ``7770000001``: belongs to customer space ``28251486512358``; not found under any other space.
- ``8880000001``: still moving (unAudit, State I); advances when the simulator evolves records.
- ``9990000001``: a sparse record: most optional fields missing or empty.
"""

import copy
import json
import random
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

EXAMPLE_FILE = Path(__file__).with_name("data") / "document_example.json"
DEFAULT_SEED = 20200606
DEFAULT_SIZE = 600

EXAMPLE_REQUEST_NO = "5435435435"
HOSTILE_REQUEST_NO = "6660000001"
HOSTILE_TEXT_REQUEST_NO = "6660000002"
SPACE_REQUEST_NO = "7770000001"
MOVING_REQUEST_NO = "8880000001"
SPARSE_REQUEST_NO = "9990000001"
CUST_SPACE_IDS = ("28251486512358", "cs-7f3a9e21")
FIXED_REQUEST_NOS = (
    EXAMPLE_REQUEST_NO,
    HOSTILE_REQUEST_NO,
    HOSTILE_TEXT_REQUEST_NO,
    SPACE_REQUEST_NO,
    MOVING_REQUEST_NO,
    SPARSE_REQUEST_NO,
)

# Same vocabulary as settings.CAMS_CODE_TABLE.
STATES = ("A", "I", "P", "R", "stop")
AUDIT_RESULTS = ("unAudit", "auditing", "pass", "reject")
REQUEST_TYPES = ("viberOpen", "viberUpdate", "viberSuspend", "viberRecover", "viberCountry")
# Coherent (AuditResult, State) pairs; the first records cycle through them so every code is
# present whatever the seed.
COMBOS = (
    ("unAudit", "I"),
    ("auditing", "I"),
    ("pass", "A"),
    ("pass", "P"),
    ("pass", "R"),
    ("pass", "stop"),
    ("reject", "stop"),
    ("reject", "A"),
)
COMBO_WEIGHTS = (12, 10, 45, 6, 5, 6, 10, 6)

# (native, English) name parts per script, so CompanyEnglishName stays plausible.
_NAMES = {
    "latin": (
        [
            ("Nordlicht", "Nordlicht"),
            ("Adriatica", "Adriatica"),
            ("Solaris", "Solaris"),
            ("Café Lumière", "Cafe Lumiere"),
            ("Kowalski", "Kowalski"),
            ("Atlas", "Atlas"),
            ("Tirana", "Tirana"),
            ("Iberia Sol", "Iberia Sol"),
        ],
        [
            ("Logistics", "Logistics"),
            ("Telecom", "Telecom"),
            ("Foods", "Foods"),
            ("Reisen", "Travel"),
            ("Médical", "Medical"),
            ("Banca", "Bank"),
        ],
        ["GmbH", "S.A.", "Ltd", "S.r.l.", "Sp. z o.o.", "SARL", "Sh.p.k.", "B.V."],
    ),
    "cyrillic": (
        [
            ("Ромашка", "Romashka"),
            ("Северный", "Severny"),
            ("Восток", "Vostok"),
            ("Альфа", "Alfa"),
            ("Сибирь", "Sibir"),
            ("Київ", "Kyiv"),
            ("Волга", "Volga"),
        ],
        [("Телеком", "Telecom"), ("Логистик", "Logistic"), ("Фуд", "Food"), ("Медиа", "Media"), ("Трейд", "Trade")],
        ["ООО", "АО", "ТОВ", "ЕООД"],
    ),
    "chinese": (
        [("北京", "Beijing"), ("上海", "Shanghai"), ("深圳", "Shenzhen"), ("杭州", "Hangzhou"), ("广州", "Guangzhou")],
        [
            ("星辰科技", "Star Technology"),
            ("云海物流", "Cloud Sea Logistics"),
            ("绿茶餐饮", "Green Tea Catering"),
            ("金融服务", "Financial Services"),
            ("电子商务", "E-commerce"),
        ],
        ["有限公司", "股份有限公司"],
    ),
    "arabic": (
        [("الخليج", "Gulf"), ("النور", "Al Noor"), ("دبي", "Dubai"), ("الرياض", "Riyadh"), ("القاهرة", "Cairo")],
        [("للتجارة", "Trading"), ("للخدمات", "Services"), ("للاتصالات", "Telecom"), ("القابضة", "Holding")],
        ["شركة", "مؤسسة", "مجموعة"],
    ),
}
SCRIPTS = tuple(_NAMES)
COUNTRIES = (
    ("355", "AL"),
    ("61", "AU"),
    ("34", "ES"),
    ("7", "RU"),
    ("86", "CN"),
    ("971", "AE"),
    ("966", "SA"),
    ("49", "DE"),
    ("380", "UA"),
    ("359", "BG"),
    ("20", "EG"),
    ("1", "US"),
    ("44", "GB"),
    ("33", "FR"),
    ("39", "IT"),
    ("48", "PL"),
    ("30", "GR"),
    ("66", "TH"),
    ("213", "DZ"),
    ("374", "AM"),
)
INDUSTRIES = ("cateringServices", "telecommunicationsAndIT", "it", "finance", "retail", "travel", "healthcare")
REJECT_REASONS = (
    "Logo resolution is below 400x400.",
    "Business licence does not match the company name.",
    "Letter of guarantee is not signed.",
    "营业执照信息与公司名称不一致",
    "Неверный формат логотипа",
)
ADDRESS_TITLES = ("Headquarters", "Warehouse", "总部", "Головной офис", "المقر الرئيسي", "Branch")
TEL_TITLES = ("Support", "Sales", "客服", "Поддержка", "خدمة العملاء")
# Optional AuditRecord fields that may be blank or absent in a generated record.
OPTIONAL_FIELDS = (
    "ContactMail",
    "LetterGuarantee",
    "OtherLetterGuarantee",
    "IndustryDescription",
    "NowRecovery",
    "RecoveryDate",
    "SuspensionDate",
    "ReplyContent",
    "EnableAutoReply",
    "CompanyProfile",
    "MessageDialogueIntroduction",
    "ApplyReason",
    "WebAddress",
    "CompanyLegalPerson",
)
_MS_2024 = 1_704_067_200_000
_MS_2026 = 1_767_225_600_000


def load_example() -> dict:
    """The API document's example response, envelope and all."""
    return json.loads(EXAMPLE_FILE.read_text(encoding="utf-8"))


def company_name(rng: random.Random, script: str) -> tuple[str, str]:
    places, trades, forms = _NAMES[script]
    (place, place_en), (trade, trade_en), form = rng.choice(places), rng.choice(trades), rng.choice(forms)
    english = f"{place_en} {trade_en}"
    if script == "latin":
        return f"{place} {trade} {form}", f"{english} {form}"
    if script == "cyrillic":
        return f"{form} «{place} {trade}»", f"{english} LLC"
    if script == "chinese":
        return f"{place}{trade}{form}", f"{english} Co., Ltd."
    return f"{form} {place} {trade}", f"{english} Co."


def destinations(rng: random.Random) -> list[str]:
    """Mostly the JSON-in-element style of the document, sometimes plain ``355|AL`` elements."""
    picked = [
        f"{dial}|{iso if rng.random() > 0.1 else iso.lower()}" for dial, iso in rng.sample(COUNTRIES, rng.randint(0, 4))
    ]
    style = rng.random()
    if not picked:
        return []
    if style < 0.6:
        return [json.dumps(picked, separators=(",", ":"))]
    if style < 0.85:
        return picked
    return [json.dumps([p]) for p in picked]


def _epoch_ms(rng, low=_MS_2024, high=_MS_2026) -> int:
    return rng.randrange(low, high, 1000)


def _audit_time(rng, ms: int) -> str:
    # The documents disagree (epoch ms vs YYYYMMDD), so the data set carries both.
    if rng.random() < 0.8:
        return str(ms)
    return datetime.fromtimestamp(ms / 1000, UTC).strftime("%Y%m%d")


def generate_record(rng: random.Random, index: int, request_no: str, combo=None) -> dict:
    audit, state = combo or rng.choices(COMBOS, COMBO_WEIGHTS)[0]
    request_type = REQUEST_TYPES[index % len(REQUEST_TYPES)] if index < 40 else rng.choice(REQUEST_TYPES)
    script = SCRIPTS[index % len(SCRIPTS)]
    legal, english = company_name(rng, script)
    created = _epoch_ms(rng)
    modified = created + rng.randrange(0, 30 * 86_400_000, 1000)
    audited = audit in ("pass", "reject")
    slug = f"{english.split()[0].lower()}{index}"
    record = {
        "ContactMail": f"{slug}@mail.example.com",
        "CompanyLegalName": legal,
        "LetterGuarantee": f"https://files.example.com/guarantee/{request_no}.pdf",
        "IndustryInvolved": rng.choice(INDUSTRIES),
        "MessageDestinationInternationalCountry": destinations(rng),
        "CompleteAddressOfHeadquarters": f"{rng.randint(1, 250)} {english.split()[0]} Street",
        "MessageEnableDate": f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        "BusinessLicenseRegistrationNumber": str(rng.randrange(10**10, 10**12)),
        "CompanyLegalPerson": rng.choice(("jack", "Anna Müller", "Иван Петров", "李伟", "محمد علي")),
        "CompanyAddress": [
            {"CompanyAddress": f"{rng.randint(1, 99)} {english} Road", "CompanyAddressTitle": t}
            for t in rng.sample(ADDRESS_TITLES, rng.choice((0, 1, 1, 2, 3)))
        ],
        "CompanyRegisteredCountry": rng.choice(("cn", "beijing", "AL", "de", "ae", "ru")),
        "AgeLimit": rng.choice(("eighteenUp", "unlimited")),
        "IndustryDescription": f"{english} services",
        "WebAddress": f"https://www.{slug}.example.com",
        "EnableAutoReply": rng.choice(("N", "Y", "N/A")),
        "NowRecovery": rng.choice(("", "N", "Y")),
        "RecoveryDate": f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}" if state == "R" else "",
        "BusinessAccountName": english,
        "ApplyReason": rng.choice(("New brand channel", "Customer notifications", "开通Viber商业消息", "")),
        "Logo": rng.choice(
            (
                [],
                [f"https://static.example.com/logos/{request_no}.png"],
                [
                    json.dumps(
                        [
                            f"https://static.example.com/logos/{request_no}.png",
                            f"https://static.example.com/logos/{request_no}-dark.png",
                        ],
                        separators=(",", ":"),
                    )
                ],
            )
        ),
        "ReplyContent": "",
        "CompanyProfile": f"{legal} — {english}",
        "CompanyTel": [
            {"CompanyTelNumber": f"+{rng.choice(COUNTRIES)[0]} {rng.randrange(10**7, 10**9)}", "CompanyTelTitle": t}
            for t in rng.sample(TEL_TITLES, rng.choice((0, 1, 1, 2)))
        ],
        "OtherLetterGuarantee": "",
        "MessageDialogueIntroduction": f"Messages from {english}",
        "MessageDestinationCountry": destinations(rng),
        "SuspensionDate": f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}" if state == "P" else "",
        "MessageSessionName": english,
        "CompanyEnglishName": english,
        "ContactPhone": f"{rng.choice(COUNTRIES)[0]}{rng.randrange(10**8, 10**10)}",
        "ContactPosition": rng.choice(("CTO", "Marketing manager", "Менеджер", "经理", "")),
        "ContactEmail": f"contact@{slug}.example.com",
        "ContactName": rng.choice(("qwq", "Maria Rossi", "Ольга Смирнова", "王芳", "فاطمة")),
    }
    for name in OPTIONAL_FIELDS:  # about a quarter blank, a tenth missing
        roll = rng.random()
        if roll < 0.1:
            del record[name]
        elif roll < 0.25:
            record[name] = ""
    return {
        "AuditResult": audit,
        "Creator": str(rng.choice((11, rng.randrange(10**15, 10**16)))),
        "Reason": rng.choice(REJECT_REASONS) if audit == "reject" else ("" if not audited else rng.choice(("", "ok"))),
        "GmtCreate": str(created),
        "SubscriberCode": str(rng.randrange(100000, 999999)),
        "MaapServiceNo": str(rng.randrange(100000, 999999)) if audit == "pass" else "",
        "State": state,
        "AuditTime": _audit_time(rng, modified) if audited else "",
        "GmtModifier": str(modified),
        "Id": str(1000 + index),
        "AuditRecord": record,
        "Modifier": str(rng.choice((11, 12, rng.randrange(10**15, 10**16)))),
        "RequestNo": request_no,
        "RequestType": request_type,
    }


def _fixed_records(rng: random.Random) -> dict[str, tuple[dict, str]]:
    """Hand-shaped records under documented numbers: number -> (Data, CustSpaceId)."""
    hostile = generate_record(rng, 1, HOSTILE_REQUEST_NO, ("pass", "A"))
    hostile["AuditRecord"].update(
        {
            "CompanyLegalName": "<script>alert(1)</script> Evil Corp",
            "CompanyEnglishName": "Evil Corp <img src=x onerror=alert(1)>",
            "BusinessAccountName": '"><svg onload=alert(1)>',
            "WebAddress": "javascript:alert(1)",
            "LetterGuarantee": "javascript:alert(document.cookie)",
            "Logo": ["javascript:alert(1)", '"><script>alert(2)</script>'],
            "ContactEmail": 'x@example.com"><script>alert(3)</script>',
            "CompanyTel": [{"CompanyTelNumber": "<b>123</b>", "CompanyTelTitle": "<i onmouseover=alert(1)>Sales</i>"}],
            "MessageDestinationCountry": ["<script>alert(4)</script>|AL", '["355|AL"]'],
        }
    )
    hostile["Reason"] = '<a href="javascript:alert(5)">click</a>'
    text = generate_record(rng, 2, HOSTILE_TEXT_REQUEST_NO, ("reject", "stop"))
    text["AuditRecord"].update(
        {
            "CompanyLegalName": "{{ settings.SECRET_KEY }} {% debug %} ${7*7} \u202eevil\u202c Ltd",
            "CompanyProfile": "A" * 5000,
            "WebAddress": "data:text/html,<script>alert(1)</script>",
            "IndustryDescription": "line one\nline two\r\n\ttabbed & 'quoted' \"double\"",
        }
    )
    spaced = generate_record(rng, 3, SPACE_REQUEST_NO, ("pass", "A"))
    moving = generate_record(rng, 4, MOVING_REQUEST_NO, ("unAudit", "I"))
    moving["RequestType"] = "viberOpen"
    sparse = {
        "AuditResult": "auditing",
        "GmtCreate": str(_MS_2024 + 86_400_000),
        "State": "I",
        "Id": "999",
        "AuditRecord": {"CompanyLegalName": "Sparse Ltd", "CompanyAddress": [], "CompanyTel": [], "Logo": []},
        "RequestNo": SPARSE_REQUEST_NO,
        "RequestType": "viberUpdate",
        "Reason": "",
        "MaapServiceNo": "",
    }
    return {
        EXAMPLE_REQUEST_NO: (load_example()["Data"], ""),
        HOSTILE_REQUEST_NO: (hostile, ""),
        HOSTILE_TEXT_REQUEST_NO: (text, ""),
        SPACE_REQUEST_NO: (spaced, CUST_SPACE_IDS[0]),
        MOVING_REQUEST_NO: (moving, ""),
        SPARSE_REQUEST_NO: (sparse, ""),
    }


@lru_cache(maxsize=4)
def _build(seed: int, size: int) -> tuple[tuple[str, str, str], ...]:
    rng = random.Random(seed)
    fixed = _fixed_records(rng)
    entries = {number: (json.dumps(data, ensure_ascii=False), space) for number, (data, space) in fixed.items()}
    index = len(entries)
    while len(entries) < size:
        number = str(rng.randrange(10**9, 10**10))  # 10 digits
        if number in entries:
            continue
        combo = COMBOS[index % len(COMBOS)] if index < 40 else None
        data = generate_record(rng, index, number, combo)
        # A few belong to a customer space; most are visible without one.
        space = rng.choice(CUST_SPACE_IDS) if rng.random() < 0.05 else ""
        entries[number] = (json.dumps(data, ensure_ascii=False), space)
        index += 1
    # Stored as JSON text so every accessor hands out a fresh, mutable copy.
    return tuple((number, text, space) for number, (text, space) in entries.items())


class Dataset:
    """Read-only view of the generated records: ``get(no)`` returns ``(Data copy, CustSpaceId)``."""

    def __init__(self, seed: int = DEFAULT_SEED, size: int = DEFAULT_SIZE):
        self.seed, self.size = seed, size
        self._entries = {number: (text, space) for number, text, space in _build(seed, size)}

    def __len__(self):
        return len(self._entries)

    def __contains__(self, request_no):
        return request_no in self._entries

    def request_numbers(self) -> list[str]:
        return list(self._entries)

    def get(self, request_no: str) -> tuple[dict, str] | None:
        entry = self._entries.get(request_no)
        if entry is None:
            return None
        return json.loads(entry[0]), entry[1]

    def records(self):
        for number in self._entries:
            yield self.get(number)


def build_dataset(seed: int = DEFAULT_SEED, size: int = DEFAULT_SIZE) -> Dataset:
    return Dataset(seed, size)


def get_record(request_no: str, seed: int = DEFAULT_SEED) -> dict | None:
    """The base (un-evolved) Data object for ``request_no``, or None; for tests and fixtures."""
    found = Dataset(seed).get(request_no)
    return copy.deepcopy(found[0]) if found else None


def sample_request_numbers(seed: int = DEFAULT_SEED) -> list[str]:
    """A handful of numbers worth offering in the UI: the fixed ones plus one per script."""
    dataset = Dataset(seed)
    picks = [EXAMPLE_REQUEST_NO, HOSTILE_REQUEST_NO, MOVING_REQUEST_NO, SPARSE_REQUEST_NO]
    seen_scripts = set()
    for number in dataset.request_numbers()[len(FIXED_REQUEST_NOS) :]:
        data, space = dataset.get(number)
        script = SCRIPTS[(int(data["Id"]) - 1000) % len(SCRIPTS)]
        if not space and script not in seen_scripts:
            seen_scripts.add(script)
            picks.append(number)
        if len(seen_scripts) == len(SCRIPTS):
            break
    return picks
