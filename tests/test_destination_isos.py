"""The country filter's column: written by the store, and backfilled by migration 0010 to the same value."""

import importlib

import pytest
from django.db import connection

from applications.cams.destinations import destination_isos
from applications.models import ViberApplication
from tests.factories import make_application

pytestmark = pytest.mark.django_db

MIGRATION = importlib.import_module("applications.migrations.0010_destination_isos")


def test_the_store_writes_the_distinct_sorted_codes_of_both_lists():
    application = make_application(
        audit_record={
            "MessageDestinationCountry": '["49|DE", "355|al"]',
            "MessageDestinationInternationalCountry": '["355|AL", "FR"]',
        }
    )
    assert application.destination_isos == ["AL", "DE", "FR"]
    assert destination_isos(application.document) == ["AL", "DE", "FR"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the backfill is SQL on PostgreSQL")
def test_the_backfill_computes_what_the_store_writes():
    documents = [
        {"MessageDestinationCountry": '["49|DE", "355|AL"]', "MessageDestinationInternationalCountry": '["fr"]'},
        {"MessageDestinationCountry": "[]", "MessageDestinationInternationalCountry": None},
        {"MessageDestinationCountry": '["not a country"]'},
    ]
    for number, record in enumerate(documents):
        make_application(RequestNo=f"20000000{number:02d}", audit_record=record)
    ViberApplication.objects.update(destination_isos=[])
    with connection.cursor() as cursor:
        cursor.execute(MIGRATION.BACKFILL_SQL)
    for application in ViberApplication.objects.all():
        assert application.destination_isos == destination_isos(application.document), application.request_no
    assert ViberApplication.objects.filter(destination_isos=["AL", "DE", "FR"]).count() == 1
