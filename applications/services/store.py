"""Writes of fetched applications: atomic upsert, snapshot on content change, change events."""

from functools import cache

from django.db import connection, transaction
from django.utils import timezone

from .. import codes, state_time
from ..cams.destinations import destination_isos
from ..cams.errors import CamsError
from ..models import ApplicationEvent, ApplicationSnapshot, ViberApplication
from ..selectors.applications import application_get_summary_for_update
from .notifications.fanout import notification_fan_out
from .scheduling import next_refresh_after_failure, next_refresh_after_success, next_refresh_at

TRACKED_FIELDS = ("state", "audit_result")


def fit_to_column(model, name: str, value: str) -> str:
    """``value`` cut to the max_length of ``model``'s column ``name``."""
    return value[: model._meta.get_field(name).max_length]


# Free-text columns whose upstream strings have no documented length: cut to fit. Codes and ids
# are short by nature and stored as sent.
_FREE_TEXT_COLUMNS = (
    "company_legal_name",
    "company_english_name",
    "business_account_name",
    "business_license_number",
    "industry",
    "contact_name",
    "contact_email",
    "contact_phone",
    "maap_service_no",
)
_AS_SENT_COLUMNS = (
    "upstream_id",
    "state",
    "audit_result",
    "request_type",
    "reason",
    "gmt_create",
    "audit_time",
    "gmt_modified",
    "audit_record",
)


def _columns(parsed):
    columns = {name: getattr(parsed, name) for name in _AS_SENT_COLUMNS}
    columns.update({name: fit_to_column(ViberApplication, name, getattr(parsed, name)) for name in _FREE_TEXT_COLUMNS})
    columns["document"] = parsed.document()
    columns["destination_isos"] = destination_isos(columns["document"])
    columns["content_hash"] = parsed.content_hash
    return columns


def _state_since(app, *, created: bool, seen_now: bool, seen_at):
    """When the current status started: a change seen now or earlier by this app wins over CAMS' times."""
    if created:
        first_seen = seen_at
    elif app.state_since_basis == state_time.FIRST_SEEN and app.state_since:
        first_seen = app.state_since
    else:
        first_seen = app.created_at or seen_at
    if seen_now:
        change_seen_at = seen_at
    elif app.state_since_basis == state_time.CHANGED:
        change_seen_at = app.state_since
    else:
        change_seen_at = None
    since = state_time.state_since(
        first_seen=first_seen,
        gmt_create=app.gmt_create,
        gmt_modified=app.gmt_modified,
        audit_time=app.audit_time,
        change_seen_at=change_seen_at,
    )
    return since.at, since.basis


def application_store(*, fetched, request_no: str, cust_space_id: str = "", seen_at=None) -> ViberApplication:
    """Upsert one fetched application in a single short transaction (DB writes only).

    Writes a snapshot only when the content hash differs from the stored one, and an event per
    changed State / AuditResult, with its inbox and outbox rows (notifications.fanout) in the same
    transaction. The row is locked while compared, so two writers of the same answer produce one
    snapshot, not two.
    """
    parsed = fetched.parsed
    seen_at = seen_at or timezone.now()
    columns = _columns(parsed)
    with transaction.atomic():
        app = application_get_summary_for_update(request_no=request_no, cust_space_id=cust_space_id)
        created = False
        if app is None:  # a first lookup: Django's get_or_create copes with a concurrent insert
            app, created = ViberApplication.objects.select_for_update().get_or_create(
                cust_space_id=cust_space_id, request_no=request_no, defaults={"state_changed_at": seen_at}
            )
        changed = created or app.content_hash != parsed.content_hash
        events = []
        status_changed = False
        if not created:
            for field in TRACKED_FIELDS:
                old, new = getattr(app, field), columns[field]
                if old != new:
                    events.append(
                        ApplicationEvent.objects.create(
                            application=app, field=field, old_value=old, new_value=new, seen_at=seen_at
                        )
                    )
                    app.state_changed_at = seen_at
                    status_changed = True
        for name, value in columns.items():
            setattr(app, name, value)
        app.state_since, app.state_since_basis = _state_since(
            app, created=created, seen_now=status_changed, seen_at=seen_at
        )
        app.raw_response = fetched.body
        app.fetched_at = seen_at
        app.last_request_id = fetched.request_id
        app.next_refresh_at = next_refresh_after_success(app, seen_at)
        app.save()
        if changed:
            ApplicationSnapshot.objects.create(
                application=app,
                content_hash=parsed.content_hash,
                state=parsed.state,
                audit_result=parsed.audit_result,
                document=columns["document"],
                raw_data=parsed.raw,
                request_id=fetched.request_id,
                seen_at=seen_at,
            )
        for event in events:
            notification_fan_out(event=event, application=app)
    return app


def application_store_if_unchanged(*, fetched, application: ViberApplication, seen_at=None) -> bool:
    """The background refresh's common case in one UPDATE: CAMS sent the content already stored.

    Only the fetch's stamps change (when, its RequestId and raw answer, the next refresh): no row
    read or lock, no snapshot, no event. The stored hash in the WHERE clause keeps it safe: when
    another writer stored new content meanwhile (or this content is new), nothing is written and
    False tells the caller to store in full with ``application_store``. On success the stamps are
    set on ``application`` too. (DB write only.)

    Content that differs from ``application``'s as read is new (or stored since the read): False
    without a query. Otherwise the state read is the state of this very content, so the answer
    is not parsed at all (``fetched.parsed`` is only worked out when something uses it).
    """
    if fetched.content_hash != application.content_hash:
        return False
    seen_at = seen_at or timezone.now()
    final = codes.is_final(application.state, application.audit_result)
    stamps = {
        "fetched_at": seen_at,
        "last_request_id": fetched.request_id,
        "raw_response": fetched.body,
        "next_refresh_at": next_refresh_at(final=final, now=seen_at),
        "updated_at": seen_at,
    }
    if not _update_if_hash(application.pk, fetched.content_hash, stamps):
        return False
    for name, value in stamps.items():
        setattr(application, name, value)
    return True


@cache
def _update_if_hash_sql(vendor: str, names: tuple) -> str:
    opts = ViberApplication._meta
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(opts.get_field(name).column)} = %s" for name in names)
    return (
        f"UPDATE {quote(opts.db_table)} SET {assignments} "
        f"WHERE {quote(opts.pk.column)} = %s AND {quote(opts.get_field('content_hash').column)} = %s"
    )


def _update_if_hash(pk, content_hash: str, values: dict) -> bool:
    """``filter(pk=pk, content_hash=content_hash).update(**values)`` with the SQL built once per process.

    The refresh runs this for nearly every record; the ORM compiling the same UPDATE each time was
    a tenth of a worker's CPU per refresh. Values still go through each field's own conversion.
    """
    opts = ViberApplication._meta
    params = [opts.get_field(name).get_db_prep_save(value, connection) for name, value in values.items()]
    with connection.cursor() as cursor:
        cursor.execute(_update_if_hash_sql(connection.vendor, tuple(values)), [*params, pk, content_hash])
        return cursor.rowcount == 1


def application_record_failure(*, application: ViberApplication, error: CamsError, at=None) -> None:
    """Note a failed fetch on the stored copy: only the last-error fields and the next try change."""
    at = at or timezone.now()
    fields = {
        "last_error_kind": error.kind,
        "last_error_code": fit_to_column(ViberApplication, "last_error_code", error.code),
        "last_error_message": error.message,
        "last_error_request_id": fit_to_column(ViberApplication, "last_error_request_id", error.request_id),
        "last_error_at": at,
        "next_refresh_at": next_refresh_after_failure(at),
    }
    ViberApplication.objects.filter(pk=application.pk).update(**fields)
    for name, value in fields.items():
        setattr(application, name, value)
