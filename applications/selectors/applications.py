"""Read queries over stored applications: one by key or id, the recently fetched, and the history of one."""

from ..models import ApplicationEvent, ApplicationSnapshot, ViberApplication
from .compiled import CompiledGet

HISTORY_LIMIT = 50


# The audit record is one of the row's largest columns; the page renders it only when its cached
# fragments miss and the JSON API not at all (it sends the document and the raw response), so it
# loads on first use.
HEAVY_COLUMNS = ("audit_record",)


# Every page view and API call reads this row: its SQL is compiled once per process (compiled.py).
_by_key = CompiledGet(
    lambda request_no, cust_space_id: ViberApplication.objects.filter(
        request_no=request_no, cust_space_id=cust_space_id
    ).defer(*HEAVY_COLUMNS),
    "request_no",
    "cust_space_id",
)


def application_get(*, request_no: str, cust_space_id: str = "") -> ViberApplication | None:
    # (request_no, cust_space_id) is unique, so the row needs no ORDER BY.
    return _by_key.first(request_no=str(request_no), cust_space_id=str(cust_space_id))


# What a stored copy's page and JSON answer are cached under is every column but the JSON ones
# (views/render_keys.py). A read that is going to be answered from those caches needs no JSON: the
# document and raw response are most of the row's bytes and of the time it takes to decode it.
DOCUMENT_COLUMNS = ("document", "raw_response")

_summary_by_key = CompiledGet(
    lambda request_no, cust_space_id: ViberApplication.objects.filter(
        request_no=request_no, cust_space_id=cust_space_id
    ).defer(*HEAVY_COLUMNS, *DOCUMENT_COLUMNS),
    "request_no",
    "cust_space_id",
)


def application_get_summary(*, request_no: str, cust_space_id: str = "") -> ViberApplication | None:
    """The row without its JSON documents: ``application_load_documents`` adds them when needed."""
    return _summary_by_key.first(request_no=str(request_no), cust_space_id=str(cust_space_id))


# The stored row, locked, as a store of new content reads it: SQL compiled once per process, and
# without the JSON columns that store overwrites anyway, so they are not decoded for nothing.
_locked_summary_by_key = CompiledGet(
    lambda request_no, cust_space_id: (
        ViberApplication.objects.select_for_update()
        .filter(request_no=request_no, cust_space_id=cust_space_id)
        .defer(*HEAVY_COLUMNS, *DOCUMENT_COLUMNS)
    ),
    "request_no",
    "cust_space_id",
)


def application_get_summary_for_update(*, request_no: str, cust_space_id: str = "") -> ViberApplication | None:
    """``application_get_summary``, with the row locked (``SELECT ... FOR UPDATE``) until the transaction ends."""
    return _locked_summary_by_key.first(request_no=str(request_no), cust_space_id=str(cust_space_id))


def application_load_documents(application: ViberApplication) -> ViberApplication:
    """Load the JSON columns a summary read left out, in one query (not one per column on first use).

    They are read after the rest of the row, so they may be newer than it, never older: output
    cached under the summary's key can only be fresher than that key says.
    """
    missing = [name for name in (*DOCUMENT_COLUMNS, *HEAVY_COLUMNS) if name in application.get_deferred_fields()]
    if missing:
        application.refresh_from_db(fields=missing)
    return application


def application_get_by_id(*, pk: int) -> ViberApplication | None:
    return ViberApplication.objects.filter(pk=pk).first()


def application_list_recent(*, limit: int = 10):
    """The applications fetched most recently (the home page's list)."""
    return ViberApplication.objects.filter(fetched_at__isnull=False).order_by("-fetched_at")[:limit]


def application_snapshots(*, application: ViberApplication, limit: int = HISTORY_LIMIT) -> list[ApplicationSnapshot]:
    """The newest ``limit`` distinct contents stored for the application, newest first."""
    return list(ApplicationSnapshot.objects.filter(application=application).order_by("-seen_at", "-id")[:limit])


def application_events(*, application: ViberApplication, limit: int = HISTORY_LIMIT) -> list[ApplicationEvent]:
    """The newest ``limit`` State / AuditResult changes of the application, newest first."""
    return list(ApplicationEvent.objects.filter(application=application).order_by("-seen_at", "-id")[:limit])


def application_other_spaces(*, request_no: str, cust_space_id: str = "", limit: int = 10) -> list[str]:
    """Customer spaces other than ``cust_space_id`` where an application with this number is stored."""
    return list(
        ViberApplication.objects.filter(request_no=request_no)
        .exclude(cust_space_id=cust_space_id)
        .order_by("cust_space_id")
        .values_list("cust_space_id", flat=True)[:limit]
    )
