"""application_get runs SQL compiled once per process: it must read exactly what the ORM reads."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from applications.models import ViberApplication
from applications.selectors.applications import (
    DOCUMENT_COLUMNS,
    HEAVY_COLUMNS,
    application_get,
    application_get_summary,
    application_load_documents,
)
from applications.selectors.compiled import CompiledGet
from tests.factories import make_application

pytestmark = pytest.mark.django_db


def _field_values(application):
    return {field.attname: getattr(application, field.attname) for field in ViberApplication._meta.concrete_fields}


def test_the_row_equals_the_orms_field_by_field_in_one_query():
    stored = make_application(cust_space_id="space-7", CompanyEnglishName="<b>Acme</b> 株式会社")
    make_application()  # the same number in the default space
    with CaptureQueriesContext(connection) as captured:
        got = application_get(request_no=stored.request_no, cust_space_id="space-7")
    assert len(captured) == 1
    assert HEAVY_COLUMNS[0] in got.get_deferred_fields()
    assert _field_values(got) == _field_values(ViberApplication.objects.get(pk=stored.pk))  # loads the deferred
    assert got.cust_space_id == "space-7" and got._state.adding is False and got._state.db == "default"


def test_json_and_datetime_columns_come_back_converted():
    stored = make_application()
    got = application_get(request_no=stored.request_no)
    assert isinstance(got.raw_response, dict) and got.raw_response == stored.raw_response
    assert got.fetched_at == stored.fetched_at and got.fetched_at.tzinfo is not None


def test_a_missing_key_is_none_and_parameters_are_never_spliced_into_the_sql():
    stored = make_application()
    assert application_get(request_no="6660009999") is None
    assert application_get(request_no=stored.request_no, cust_space_id="' OR '1'='1") is None
    assert application_get(request_no=f"{stored.request_no}' --") is None


def test_a_queryset_with_foreign_parameters_is_refused():
    refused = CompiledGet(
        lambda request_no: ViberApplication.objects.filter(request_no=request_no, state="P"), "request_no"
    )
    with pytest.raises(ValueError):
        refused.first(request_no="1")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's")
def test_on_postgresql_the_read_is_prepared_once_per_connection_and_nothing_else_is():
    stored = make_application()

    def prepared():
        with connection.cursor() as cursor:
            cursor.execute("SELECT statement FROM pg_prepared_statements")
            return [row[0] for row in cursor.fetchall()]

    before = prepared()
    for _ in range(3):
        assert application_get(request_no=stored.request_no).pk == stored.pk
    ViberApplication.objects.filter(request_no=stored.request_no).count()  # an ORM query: never prepared
    added = [statement for statement in prepared() if statement not in before]
    assert len(added) == 1 and "$1" in added[0] and "applications_viberapplication" in added[0]


def test_a_summary_leaves_the_json_out_and_loading_it_takes_one_query():
    stored = make_application(CompanyEnglishName="Summary & Co")
    summary = application_get_summary(request_no=stored.request_no)
    assert {*DOCUMENT_COLUMNS, *HEAVY_COLUMNS} <= summary.get_deferred_fields()
    assert summary.fetched_at == stored.fetched_at and summary.content_hash == stored.content_hash
    with CaptureQueriesContext(connection) as captured:
        application_load_documents(summary)
        application_load_documents(summary)  # already loaded: no second query
    assert len(captured) == 1
    assert _field_values(summary) == _field_values(ViberApplication.objects.get(pk=stored.pk))


def test_in_bulk_reads_what_the_orms_in_bulk_reads_in_one_query_whatever_the_ids():
    from applications.selectors.compiled import CompiledInBulk

    rows = CompiledInBulk(lambda: ViberApplication.objects.only("request_no", "fetched_at", "raw_response"))
    first, second = make_application(), make_application(cust_space_id="space-7")
    ids = [second.pk, first.pk, second.pk, 10**9]  # a repeat and an id no row has
    for _ in range(2):  # compiled, then from the plan
        orm = ViberApplication.objects.only("request_no", "fetched_at", "raw_response").in_bulk(ids)
        with CaptureQueriesContext(connection) as captured:
            got = rows.in_bulk(ids)
        assert len(captured) == 1
        assert sorted(got) == sorted(orm) == sorted([first.pk, second.pk])
        assert got[first.pk].get_deferred_fields() == orm[first.pk].get_deferred_fields() != set()
        assert all(_field_values(got[pk]) == _field_values(orm[pk]) for pk in orm)  # loads the deferred
    assert rows.in_bulk([]) == {}
