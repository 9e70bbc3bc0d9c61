"""Bulk lookup: many request numbers fetched in the background through ``application_lookup``.

``bulk_lookup_start`` stores one row per number and, once committed, enqueues small chunks of
them as Celery tasks, so several workers share the work and no task nears its time limit. Each
chunk calls the ordinary lookup service per number (cache-aside, single-flight, rate limited by
the shared limiter) and writes the outcome on the number's row: the page polls those rows for
progress. The last chunk to finish marks the bulk lookup done with a conditional UPDATE.
"""

import logging

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from .. import tasks
from ..cams import errors
from ..models import BulkLookup, BulkLookupItem
from .lookup import application_lookup
from .store import fit_to_column

logger = logging.getLogger(__name__)
CHUNK_SIZE = 10
# Workers write outcomes in no particular language: rows keep the upstream message (or one of these
# English texts) and ``bulk_item_detail`` words them in the reader's language.
NOT_FOUND_TEXT = gettext_noop("CAMS has no application with this request number in this customer space.")
UNEXPECTED_TEXT = gettext_noop("Unexpected error; see the worker log")

Outcome = BulkLookupItem.Outcome


def bulk_lookup_start(*, numbers: list[str], cust_space_id: str = "", actor=None, invalid=()) -> BulkLookup:
    """Create the bulk lookup and its items; enqueues the chunk tasks on commit (DB writes only).

    ``invalid`` entries (``line``, ``text``, ``reason``) are stored after the numbers as already
    finished "not a request number" items, so the results list every pasted entry.
    """
    now = timezone.now()
    with transaction.atomic():
        bulk = BulkLookup.objects.create(
            created_by=actor, cust_space_id=cust_space_id, total=len(numbers) + len(invalid)
        )
        items = BulkLookupItem.objects.bulk_create(
            [BulkLookupItem(bulk=bulk, position=index, request_no=number) for index, number in enumerate(numbers)]
        )
        BulkLookupItem.objects.bulk_create(
            [
                BulkLookupItem(
                    bulk=bulk,
                    position=len(numbers) + index,
                    request_no=fit_to_column(BulkLookupItem, "request_no", entry.text),
                    outcome=Outcome.INVALID,
                    # Called from the request: the line is worded in the language of whoever pasted it.
                    error_message=gettext("Line %(line)s: %(reason)s") % {"line": entry.line, "reason": entry.reason},
                    finished_at=now,
                )
                for index, entry in enumerate(invalid)
            ]
        )
        ids = [item.pk for item in items]
        if not ids[0:1] or ids[0] is None:  # backends that do not return ids from bulk_create
            ids = list(bulk.items.order_by("position").values_list("id", flat=True))
        chunks = [ids[start : start + CHUNK_SIZE] for start in range(0, len(ids), CHUNK_SIZE)]
        transaction.on_commit(lambda: [tasks.bulk_lookup_chunk.delay(bulk.pk, chunk) for chunk in chunks])
    return bulk


def _error_code(code: str) -> str:
    return fit_to_column(BulkLookupItem, "error_code", code)


def _outcome_of(item: BulkLookupItem, cust_space_id: str) -> dict:
    try:
        result = application_lookup(request_no=item.request_no, cust_space_id=cust_space_id)
    except errors.NotFound:
        # An answer, not a failure: CAMS has nothing under this number (its code is just "OK").
        return {"outcome": Outcome.NOT_FOUND, "error_code": "", "error_message": NOT_FOUND_TEXT}
    except errors.CamsError as error:
        return {
            "outcome": Outcome.FAILED,
            "error_code": _error_code(error.code or error.kind),
            "error_message": error.message,
        }
    except Exception as error:  # one bad number must not stop the others
        logger.exception("bulk lookup of %s failed", item.request_no)
        return {
            "outcome": Outcome.FAILED,
            "error_code": _error_code(type(error).__name__),
            "error_message": UNEXPECTED_TEXT,
        }
    if result.error is not None:
        # CAMS failed but an older copy exists: the number is known, the fetch failed.
        return {
            "outcome": Outcome.FAILED,
            "application": result.application,
            "error_code": _error_code(result.error.code or result.error.kind),
            "error_message": result.error.message,  # see bulk_item_detail
        }
    return {"outcome": Outcome.FOUND, "application": result.application, "error_code": "", "error_message": ""}


def bulk_lookup_run_chunk(*, bulk_id: int, item_ids: list[int]) -> int:
    """Look up the still-pending items among ``item_ids``; returns how many were done.

    Side effects: up to one CAMS call per item (through the lookup service), item rows updated,
    the bulk lookup marked running, then done when no item is pending any more.
    """
    bulk = BulkLookup.objects.filter(pk=bulk_id).first()
    if bulk is None:
        return 0
    now = timezone.now()
    BulkLookup.objects.filter(pk=bulk_id, status=BulkLookup.Status.QUEUED).update(
        status=BulkLookup.Status.RUNNING, started_at=now
    )
    done = 0
    for item in BulkLookupItem.objects.filter(pk__in=item_ids, bulk_id=bulk_id, outcome=Outcome.PENDING):
        fields = _outcome_of(item, bulk.cust_space_id)
        # A redelivered chunk may race its first delivery: only a pending row takes an outcome.
        done += BulkLookupItem.objects.filter(pk=item.pk, outcome=Outcome.PENDING).update(
            finished_at=timezone.now(), **fields
        )
    if not BulkLookupItem.objects.filter(bulk_id=bulk_id, outcome=Outcome.PENDING).exists():
        BulkLookup.objects.filter(pk=bulk_id).exclude(status=BulkLookup.Status.DONE).update(
            status=BulkLookup.Status.DONE, finished_at=timezone.now()
        )
    return done


def bulk_item_detail(item: BulkLookupItem) -> str:
    """What the results say about one item, in the active language (upstream messages as sent)."""
    if item.outcome == Outcome.NOT_FOUND:
        return gettext(NOT_FOUND_TEXT)
    if item.outcome == Outcome.FAILED:
        if item.error_message == UNEXPECTED_TEXT:
            return gettext(UNEXPECTED_TEXT)
        if item.application_id is not None:
            # CAMS failed but an older copy exists (see _outcome_of).
            return gettext("Stored copy kept: %(message)s") % {"message": item.error_message}
    return item.error_message


def bulk_lookup_progress(*, bulk: BulkLookup) -> dict:
    counts = dict(bulk.items.order_by().values_list("outcome").annotate(n=Count("id")))
    finished = bulk.total - counts.get(Outcome.PENDING, 0)
    return {
        "total": bulk.total,
        "finished": finished,
        "percent": round(100 * finished / bulk.total) if bulk.total else 100,
        "found": counts.get(Outcome.FOUND, 0),
        "not_found": counts.get(Outcome.NOT_FOUND, 0),
        "failed": counts.get(Outcome.FAILED, 0),
        "invalid": counts.get(Outcome.INVALID, 0),
        "pending": counts.get(Outcome.PENDING, 0),
        "done": bulk.status == BulkLookup.Status.DONE,
    }
