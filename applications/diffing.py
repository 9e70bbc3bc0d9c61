"""Field-by-field differences between two snapshot documents (pure: no I/O, no models).

``diff_values`` compares any two JSON values; ``snapshot_changes`` first reshapes a snapshot's
normalised ``document`` (see ``cams.parsing.ParsedApplication.document``) into what a reviewer
reads, so a change appears once under its upstream name instead of twice (the typed copy and the
``audit_record`` copy), and the nested lists compare as lists:

- lists of strings (logos, destination countries) as multisets: entries added and removed;
- lists of rows (addresses, telephones): row by row when the count is unchanged (so an edited
  address shows the one column that changed), else as rows added and removed.

The content hash is taken over the raw ``Data``, so whatever changes the hash must show here too:
scalars the parsed form cannot show exactly are compared as sent (the document's ``as_sent``), and
each time field appears twice, parsed (``AuditTime``) and as sent (``AuditTime (raw)``, JSON text),
the raw row left out when both parsed times are valid and already show the change.
"""

import json
from collections import Counter
from dataclasses import dataclass

from django.utils.translation import gettext, gettext_noop

from .cams.fields import (
    AUDIT_RECORD,
    DATA_ATTRIBUTES,
    DESTINATION_FIELDS,
    IDENTITY_FIELDS,
    STRUCTURED_ATTRIBUTES,
    TIME_FIELDS,
)

ADDED, REMOVED, CHANGED = "added", "removed", "changed"

# Top-level document keys shown, under the name CAMS uses for them in Data (identity excluded).
_TOP_LEVEL = tuple((attribute, key) for key, attribute in DATA_ATTRIBUTES.items() if key not in IDENTITY_FIELDS)
AS_SENT = "as_sent"  # the document key holding upstream values as sent (cams.parsing.values_as_sent)


def raw_path(time_field: str) -> str:
    """The diff path of a time field's value as sent, beside its parsed path."""
    return f"{time_field} (raw)"


@dataclass(frozen=True)
class Change:
    path: str  # e.g. "CompanyEnglishName", "CompanyAddress[2].CompanyAddress", "Logo[]"
    kind: str  # added | removed | changed
    before: object = None
    after: object = None


def _canonical(value) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _is_row_list(value) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(item, dict) for item in value)


def diff_values(before, after, path: str = "") -> list[Change]:
    """Changes turning ``before`` into ``after``; a missing key counts as added / removed."""
    if before == after:
        return []
    if isinstance(before, dict) and isinstance(after, dict):
        changes = []
        for key in [*after, *(key for key in before if key not in after)]:
            sub_path = f"{path}.{key}" if path else str(key)
            if key not in before:
                changes.append(Change(sub_path, ADDED, None, after[key]))
            elif key not in after:
                changes.append(Change(sub_path, REMOVED, before[key], None))
            else:
                changes += diff_values(before[key], after[key], sub_path)
        return changes
    if isinstance(before, list) and isinstance(after, list):
        if _is_row_list(before) and _is_row_list(after) and len(before) == len(after):
            changes = []
            for index, (old, new) in enumerate(zip(before, after, strict=True), start=1):
                changes += diff_values(old, new, f"{path}[{index}]")
            return changes
        return _multiset_diff(before, after, path)
    return [Change(path, CHANGED, before, after)]


def _multiset_diff(before: list, after: list, path: str) -> list[Change]:
    old, new = Counter(map(_canonical, before)), Counter(map(_canonical, after))
    removed, added = old - new, new - old
    changes = []
    for item in before:  # keep upstream order, once per surplus copy
        key = _canonical(item)
        if removed[key]:
            removed[key] -= 1
            changes.append(Change(f"{path}[]", REMOVED, item, None))
    for item in after:
        key = _canonical(item)
        if added[key]:
            added[key] -= 1
            changes.append(Change(f"{path}[]", ADDED, None, item))
    return changes


def _destination_text(entry) -> str:
    if not isinstance(entry, dict):
        return str(entry)
    name, raw = entry.get("name") or "", entry.get("raw") or ""
    return f"{name} ({raw})" if name and raw and name != raw else (raw or name)


def comparable(document, *, as_sent: bool = True) -> dict:
    """A snapshot document reshaped for comparison (see the module docstring).

    ``as_sent=False`` ignores the values kept as sent, to compare with a document stored before
    they were kept (which would otherwise show each of them as added).
    """
    document = document if isinstance(document, dict) else {}
    sent = document.get(AS_SENT) if as_sent and isinstance(document.get(AS_SENT), dict) else {}
    view = {}
    for key, label in _TOP_LEVEL:
        if label in TIME_FIELDS:
            if key in document:
                view[label] = document[key]
            if label in sent:
                view[raw_path(label)] = _canonical(sent[label])
        elif key in document:
            view[label] = sent.get(label, document[key])
    record = document.get("audit_record") if isinstance(document.get("audit_record"), dict) else {}
    # Lists and rows are compared in their typed, flattened form, not as the record's raw strings.
    view.update(
        {
            key: sent.get(f"{AUDIT_RECORD}.{key}", value)
            for key, value in record.items()
            if key not in STRUCTURED_ATTRIBUTES
        }
    )
    for key, attribute in STRUCTURED_ATTRIBUTES.items():
        items = list(document.get(attribute) or [])
        view[key] = [_destination_text(item) for item in items] if key in DESTINATION_FIELDS else items
    extra = document.get("extra") if isinstance(document.get("extra"), dict) else {}
    view.update({f"Data.{key}": value for key, value in extra.items()})
    return view


def snapshot_changes(before_document, after_document) -> list[Change]:
    """What a reviewer sees changed between two snapshots, field by field."""
    as_sent = all(isinstance(document, dict) and AS_SENT in document for document in (before_document, after_document))
    before, after = comparable(before_document, as_sent=as_sent), comparable(after_document, as_sent=as_sent)
    # Two valid times that differ already show the change; the raw row would only repeat it.
    repeated = {
        raw_path(name) for name in TIME_FIELDS if before.get(name) and after.get(name) and before[name] != after[name]
    }
    return [change for change in diff_values(before, after) if change.path not in repeated]


# "null" is the JSON word CAMS sent and stays as it is; the other two are words, translated when shown.
NULL_TEXT, EMPTY_TEXT, NO_ENTRIES_TEXT = "null", gettext_noop("(empty)"), gettext_noop("(no entries)")


def value_text(value) -> str:
    """One line for a changed value: rows as "Key: value · Key: value", lists joined.

    Never blank, so a null, an empty string and an empty list read differently from one another
    and from a missing value (which the page shows as a dash).
    """
    if value is None:
        return NULL_TEXT
    if value == "" or value == {}:
        return gettext(EMPTY_TEXT)
    if value == []:
        return gettext(NO_ENTRIES_TEXT)
    if isinstance(value, dict):
        return " · ".join(f"{key}: {value_text(item)}" for key, item in value.items())
    if isinstance(value, list):
        return ", ".join(value_text(item) for item in value)
    return str(value)
