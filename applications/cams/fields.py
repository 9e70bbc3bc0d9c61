"""The GetViberByRequestNo fields we know by name, and where the parsed record keeps each.

The parser, the snapshot diff, the detail page and the searches all read these names from here,
so a field CAMS adds or renames is taught to the code once.

# Reference: https://www.alibabacloud.com/help/en/chatapp/developer-reference/api-cams-2020-06-06-getviberbyrequestno
"""

# Top-level ``Data`` fields -> the ParsedApplication attribute (and model column) holding them.
# Upstream order of interest: the status fields first, as the diff lists them.
DATA_ATTRIBUTES = {
    "RequestNo": "request_no",
    "Id": "upstream_id",
    "State": "state",
    "AuditResult": "audit_result",
    "Reason": "reason",
    "RequestType": "request_type",
    "GmtCreate": "gmt_create",
    "AuditTime": "audit_time",
    "GmtModifier": "gmt_modified",
    "MaapServiceNo": "maap_service_no",
    "SubscriberCode": "subscriber_code",
    "Creator": "creator",
    "Modifier": "modifier",
}
# The record's identity: the same in every snapshot of one application.
IDENTITY_FIELDS = ("RequestNo", "Id")
# "Times" in epoch milliseconds (or worse), parsed by parsing.parse_timestamp; the document keeps each as
# sent too (``as_sent``), so an implausible one that changes is still a change.
TIME_FIELDS = ("GmtCreate", "AuditTime", "GmtModifier")
AUDIT_RECORD = "AuditRecord"
# Every top-level field known by name; anything else is kept in ``extra``.
DATA_FIELDS = (*DATA_ATTRIBUTES, AUDIT_RECORD)

# AuditRecord fields holding lists of strings, some elements JSON-encoded arrays.
LOGO = "Logo"
# Destination lists -> the ParsedApplication attribute holding them as Destination records.
DESTINATION_FIELDS = {
    "MessageDestinationCountry": "destinations_local",
    "MessageDestinationInternationalCountry": "destinations_international",
}
LIST_FIELDS = (LOGO, *DESTINATION_FIELDS)
# AuditRecord fields holding rows: field -> (title column, value column).
TABLE_FIELDS = {
    "CompanyAddress": ("CompanyAddressTitle", "CompanyAddress"),
    "CompanyTel": ("CompanyTelTitle", "CompanyTelNumber"),
}
# AuditRecord fields parsed into lists or rows rather than kept as one string -> the
# ParsedApplication attribute holding the parsed list.
STRUCTURED_ATTRIBUTES = {
    "CompanyAddress": "addresses",
    "CompanyTel": "telephones",
    **DESTINATION_FIELDS,
    LOGO: "logos",
}
