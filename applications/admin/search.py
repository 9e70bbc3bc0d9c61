"""The admin's search, written so that PostgreSQL answers it from indexes.

One search term matches an application when any of these holds (several terms: all must match,
as in Django's own admin search):

- ``request_no`` starts with it (an exact number is a prefix of itself): ``LIKE 'x%'`` served by
  the ``varchar_pattern_ops`` index Django creates for the column's ``db_index``. Django's own
  ``^``/``=`` prefixes build ``UPPER(..)`` comparisons, which that index cannot serve.
- one of the text columns contains it, case-insensitively: Django's ``icontains``
  (``UPPER(col::text) LIKE UPPER('%x%')``), served by the trigram GIN index on exactly that
  expression (migration 0003). The OR over the columns becomes a BitmapOr of index scans.
- it names a country (ISO code or name) that is one of the destinations: the queue's country
  condition (``selectors.countries``), a ``jsonb @>`` containment on the document's destination
  lists served by their ``jsonb_path_ops`` indexes.

Terms shorter than three characters have no trigram, so they fall back to scanning (the order
index then still returns the first page quickly for common fragments).
"""

from functools import lru_cache

import pycountry
from django.db.models import Q
from django.utils.text import smart_split, unescape_string_literal
from django.utils.translation import gettext_lazy as _

from ..cams.fields import DESTINATION_FIELDS
from ..selectors.countries import destination_country_q

PREFIX_FIELDS = ("request_no",)
CONTAINS_FIELDS = (
    "company_legal_name",
    "company_english_name",
    "business_account_name",
    "business_license_number",
    "contact_name",
    "contact_email",
    "contact_phone",
)
# What the search box shows in the admin (and what the stock ModelAdmin of the benchmark uses).
SEARCH_FIELDS = ("^request_no", *CONTAINS_FIELDS, *(f"audit_record__{key}" for key in DESTINATION_FIELDS))
HELP_TEXT = _(
    "Request number (exact or its start); part of a company or business account name, licence number, "
    "contact name, e-mail or phone; or a destination country (code or name). Several words: all must match."
)


def search_terms(search_term: str) -> list[str]:
    """Words of the search box; a quoted phrase stays one term (Django's admin rules)."""
    terms = []
    for bit in smart_split(search_term):
        if bit.startswith(('"', "'")) and bit[0] == bit[-1]:
            bit = unescape_string_literal(bit)
        if bit:
            terms.append(bit)
    return terms


@lru_cache(maxsize=1024)
def country_code(term: str) -> str:
    """ISO alpha-2 code for a country code or name (``al``, ``ALB``, ``Albania``); "" otherwise."""
    if not (2 <= len(term) <= 60) or not term.replace(" ", "").isalpha():
        return ""
    try:
        return pycountry.countries.lookup(term).alpha_2
    except LookupError:
        pass
    if len(term) < 4:
        return ""
    # "Russia" for "Russian Federation": the start of exactly one country's name.
    prefix = term.casefold()
    starts = {
        country.alpha_2
        for country in pycountry.countries
        for name in (country.name, getattr(country, "common_name", ""), getattr(country, "official_name", ""))
        if name and name.casefold().startswith(prefix)
    }
    return starts.pop() if len(starts) == 1 else ""


def term_q(term: str, *, vendor: str) -> Q:
    """The condition one search term puts on ``ViberApplication`` rows."""
    condition = Q()
    for field in PREFIX_FIELDS:
        condition |= Q(**{f"{field}__startswith": term})
    for field in CONTAINS_FIELDS:
        condition |= Q(**{f"{field}__icontains": term})
    if term.startswith("+") and len(term) > 1:  # stored phone numbers come with and without "+"
        condition |= Q(contact_phone__icontains=term[1:])
    iso = country_code(term)
    if iso:
        condition |= destination_country_q(iso, vendor=vendor)
    return condition


def search_applications(queryset, search_term: str, *, vendor: str):
    """``queryset`` narrowed to rows matching every term of ``search_term``."""
    for term in search_terms(search_term):
        queryset = queryset.filter(term_q(term, vendor=vendor))
    return queryset
