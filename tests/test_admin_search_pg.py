"""PostgreSQL only (required under CI): the admin's search is served by indexes, counts are estimates.

The tables here are tiny, so the planner would rightly pick sequential scans; ``enable_seqscan``
(and ``enable_indexscan``) are switched off inside the test's transaction to prove that each
predicate *can* use its index (i.e. that the SQL Django builds matches the indexed expression exactly).
"""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications.admin import search
from applications.admin.applications import ViberApplicationAdmin
from applications.admin.filters import distinct_values
from applications.admin.pagination import EstimatedCountPaginator
from applications.admin.search import CONTAINS_FIELDS
from applications.benchmarks.seeding import seed_applications
from applications.models import ViberApplication
from applications.selectors.countries import destination_country_q
from tests.factories import make_application

CHANGELIST = reverse("admin:applications_viberapplication_changelist")
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _postgresql(require):
    require(connection.vendor == "postgresql", "these tests need PostgreSQL (DATABASE_URL=postgres://...)")


@pytest.fixture
def seeded():
    seed_applications(count=300, seed=7, start=0)
    return ViberApplication.objects.order_by("pk")[150]


def plan(queryset) -> str:
    # No ORDER BY and no plain index scans: else the order index (a full scan, fine on an empty
    # table) wins, and the question here is only whether the predicate itself is indexable.
    sql, params = queryset.order_by().query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_the_migration_installs_pg_trgm_and_every_search_index():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        assert cursor.fetchone()
        cursor.execute("SELECT indexname FROM pg_indexes WHERE indexname LIKE 'app_search_%'")
        names = {name for (name,) in cursor.fetchall()}
    assert names == {f"app_search_{field}_trgm" for field in search.CONTAINS_FIELDS} | {
        "app_search_destination_isos_gin"
    }


@pytest.mark.parametrize("field", search.CONTAINS_FIELDS)
def test_a_substring_search_on_each_text_column_uses_its_trigram_index(field):
    assert f"app_search_{field}_trgm" in plan(ViberApplication.objects.filter(**{f"{field}__icontains": "lpha"}))


def test_a_request_number_prefix_uses_the_pattern_ops_index():
    explained = plan(ViberApplication.objects.filter(request_no__startswith="54354"))
    assert "request_no" in explained and "_like" in explained and "Index" in explained


DESTINATION_KEYS = ("MessageDestinationCountry", "MessageDestinationInternationalCountry")


def test_a_destination_country_uses_its_jsonb_index():
    explained = plan(ViberApplication.objects.filter(destination_country_q("AL", vendor="postgresql")))
    assert "app_search_destination_isos_gin" in explained
    assert "document" not in explained  # the recheck reads the small column, not the document


@pytest.mark.parametrize("key", DESTINATION_KEYS)
def test_a_stored_destination_is_found_by_its_country(key):
    elsewhere = dict.fromkeys(DESTINATION_KEYS, '["49|DE"]')
    match = make_application(RequestNo="1000000077", audit_record={**elsewhere, key: '["355|AL"]'})
    make_application(RequestNo="1000000078", audit_record=elsewhere)
    found = ViberApplication.objects.filter(destination_country_q("al", vendor="postgresql"))
    assert list(found.values_list("pk", flat=True)) == [match.pk]


def test_one_search_term_is_a_bitmap_or_over_all_the_indexes():
    explained = plan(search.search_applications(ViberApplication.objects.all(), "Albania", vendor="postgresql"))
    assert "BitmapOr" in explained
    for field in search.CONTAINS_FIELDS:
        assert f"app_search_{field}_trgm" in explained
    assert "app_search_destination_isos_gin" in explained and "Seq Scan" not in explained


@pytest.mark.parametrize("which", CONTAINS_FIELDS)
def test_seeded_rows_are_found_by_a_fragment_of_each_field(admin_client, seeded, which):
    value = getattr(seeded, which)
    fragment = value[1:-1] if len(value) > 4 else value
    response = admin_client.get(CHANGELIST, {"q": f'"{fragment}"'})
    assert seeded.pk in {app.pk for app in response.context["cl"].result_list}


def test_seeded_destinations_are_found_by_country_name(admin_client, seeded):
    iso = (seeded.document["destinations_local"] or seeded.document["destinations_international"] or [{"iso": "AL"}])[
        0
    ]["iso"]
    expected = ViberApplication.objects.filter(search.term_q(iso, vendor="postgresql")).count()
    response = admin_client.get(CHANGELIST, {"q": iso, "all": ""})
    assert response.context["cl"].result_count == expected > 0


def test_the_unfiltered_list_shows_the_table_estimate_without_counting(admin_client, seeded, monkeypatch):
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE applications_viberapplication")
    monkeypatch.setattr(EstimatedCountPaginator, "exact_up_to", 10)
    with CaptureQueriesContext(connection) as captured:
        response = admin_client.get(CHANGELIST)
    assert response.context["cl"].result_count == 300  # reltuples after ANALYZE
    assert not [q for q in captured.captured_queries if "COUNT(" in q["sql"].upper()]


def test_a_broad_search_shows_the_planner_estimate_without_counting(admin_client, seeded, monkeypatch):
    monkeypatch.setattr(EstimatedCountPaginator, "trust_estimate_over", 0)
    with CaptureQueriesContext(connection) as captured:
        response = admin_client.get(CHANGELIST, {"q": "example"})
    assert response.context["cl"].result_count > 0
    assert not [q for q in captured.captured_queries if "COUNT(" in q["sql"].upper()]


def test_a_large_filtered_result_is_counted_only_up_to_the_bound(admin_client, seeded, monkeypatch):
    monkeypatch.setattr(EstimatedCountPaginator, "exact_up_to", 20)
    with CaptureQueriesContext(connection) as captured:
        response = admin_client.get(CHANGELIST, {"q": "example"})
    counts = [q["sql"] for q in captured.captured_queries if "COUNT(" in q["sql"].upper()]
    assert len(counts) == 1 and "LIMIT 21" in counts[0]
    assert response.context["cl"].result_count >= 21


def listed_pks(response) -> list[int]:
    return [app.pk for app in response.context["cl"].result_list]


def expected_pks(term: str) -> list[int]:
    found = search.search_applications(ViberApplication.objects.all(), term, vendor="postgresql")
    return list(found.order_by("-gmt_create", "-id").values_list("pk", flat=True))


def test_a_small_result_is_counted_by_reading_its_ids_once(admin_client, seeded, monkeypatch):
    monkeypatch.setattr(ViberApplicationAdmin, "list_per_page", 5)
    monkeypatch.setattr(ViberApplicationAdmin, "list_max_show_all", 1000)
    term = "example"
    expected = expected_pks(term)
    assert 10 < len(expected) <= EstimatedCountPaginator.exact_up_to
    with CaptureQueriesContext(connection) as captured:
        response = admin_client.get(CHANGELIST, {"q": term})
    sqls = [q["sql"] for q in captured.captured_queries if "applications_viberapplication" in q["sql"]]
    assert not [sql for sql in sqls if "COUNT(" in sql.upper()]
    searches = [sql for sql in sqls if "LIKE" in sql and not sql.startswith("EXPLAIN")]
    ids_read, page_read = searches  # the page is then read by key (the terms still checked on its rows)
    assert f"LIMIT {EstimatedCountPaginator.exact_up_to + 1}" in ids_read and '"id" IN (' not in ids_read
    assert '"id" IN (' in page_read
    assert response.context["cl"].result_count == len(expected)
    assert listed_pks(response) == expected[:5]
    assert listed_pks(admin_client.get(CHANGELIST, {"q": term, "p": 2})) == expected[5:10]
    assert listed_pks(admin_client.get(CHANGELIST, {"q": term, "all": ""})) == expected


@pytest.mark.parametrize("which", ["company_english_name", "contact_email", "request_no", "contact_phone"])
def test_the_search_lists_the_same_rows_in_the_same_order_as_the_plain_query(admin_client, seeded, which):
    value = getattr(seeded, which)
    term = value if which == "request_no" else value[1:-1]
    response = admin_client.get(CHANGELIST, {"q": f'"{term}"'})
    expected = expected_pks(term)
    assert seeded.pk in expected
    assert response.context["cl"].result_count == len(expected)
    assert listed_pks(response) == expected[:50]


def test_ids_beyond_the_bound_fall_back_to_the_estimate_and_to_slicing(admin_client, seeded, monkeypatch):
    from applications.admin import pagination

    monkeypatch.setattr(EstimatedCountPaginator, "exact_up_to", 20)
    monkeypatch.setattr(ViberApplicationAdmin, "list_per_page", 15)
    monkeypatch.setattr(pagination, "query_row_estimate", lambda queryset: 10)  # the planner guessed low
    expected = expected_pks("example")
    assert len(expected) > 30
    response = admin_client.get(CHANGELIST, {"q": "example"})
    assert response.context["cl"].result_count == 21  # at least the bound: "about" from here on
    assert listed_pks(response) == expected[:15]  # read by id
    # As before, the "about" count (the bound) ends the last page.
    assert listed_pks(admin_client.get(CHANGELIST, {"q": "example", "p": 2})) == expected[15:21]


def test_filter_choices_come_from_a_loose_index_scan(seeded):
    expected = sorted(set(ViberApplication.objects.values_list("cust_space_id", flat=True)))
    assert distinct_values(ViberApplication.objects.all(), "cust_space_id") == expected


def test_the_benchmark_runs_and_the_search_indexes_survive_it(seeded, capsys):
    call_command("bench_admin_search", rows=300, repeat=1)
    out = capsys.readouterr().out
    for label in ("company name fragment", "e-mail fragment", "exact request number", "unfiltered first page"):
        assert label in out
    assert "app_search_contact_email_trgm" in out
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_indexes WHERE indexname LIKE 'app_search_%'")
        assert cursor.fetchone()[0] == len(search.CONTAINS_FIELDS) + 1
