"""Builders for stored applications, starting from the API document's own example."""

import copy
import json
from pathlib import Path

from applications.cams.client import interpret_response
from applications.services.store import application_store

EXAMPLE_PATH = Path(__file__).resolve().parent.parent / "applications" / "sandbox" / "data" / "document_example.json"


def example_body() -> dict:
    """The document's example response, verbatim (a fresh copy each call)."""
    return json.loads(EXAMPLE_PATH.read_text(encoding="utf-8"))


def make_body(*, data=None, audit_record=None, **data_fields) -> dict:
    """The example body with Data / AuditRecord fields replaced (None removes a field)."""
    body = example_body()
    if data is not None:
        body["Data"] = copy.deepcopy(data)
        return body
    for key, value in data_fields.items():
        if value is None:
            body["Data"].pop(key, None)
        else:
            body["Data"][key] = value
    for key, value in (audit_record or {}).items():
        if value is None:
            body["Data"]["AuditRecord"].pop(key, None)
        else:
            body["Data"]["AuditRecord"][key] = value
    return body


def make_application(*, cust_space_id="", seen_at=None, **overrides):
    """Store an application as if CAMS had returned the example with ``overrides``."""
    body = make_body(**overrides)
    fetched = interpret_response(body)
    return application_store(
        fetched=fetched, request_no=body["Data"]["RequestNo"], cust_space_id=cust_space_id, seen_at=seen_at
    )
