"""Read queries behind the bulk lookup pages: one bulk lookup, a user's recent ones, and its items."""

from ..models import BulkLookup, BulkLookupItem

# What the results table shows of each item and of the application it found.
ITEM_COLUMNS = (
    "id",
    "position",
    "request_no",
    "outcome",
    "error_code",
    "error_message",
    "finished_at",
    "application__id",
    "application__request_no",
    "application__cust_space_id",
    "application__company_english_name",
    "application__company_legal_name",
    "application__state",
    "application__audit_result",
    "application__request_type",
)


def bulk_lookup_get(*, pk: int) -> BulkLookup | None:
    return BulkLookup.objects.filter(pk=pk).first()


def bulk_lookup_list_recent(*, user, limit: int = 10) -> list[BulkLookup]:
    """The bulk lookups ``user`` started, newest first."""
    return list(BulkLookup.objects.filter(created_by=user)[:limit])


def bulk_lookup_items(*, bulk: BulkLookup) -> list[BulkLookupItem]:
    """Every item of the bulk lookup in pasted order, with the application each one found."""
    return list(
        BulkLookupItem.objects.filter(bulk=bulk).select_related("application").order_by("position").only(*ITEM_COLUMNS)
    )
