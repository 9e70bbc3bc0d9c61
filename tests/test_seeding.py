"""The seeding command: N realistic rows, fast, shaped like what the store writes."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from applications.admin.search import CONTAINS_FIELDS, PREFIX_FIELDS
from applications.benchmarks.seeding import generate_row
from applications.models import ReviewStatus, ViberApplication

pytestmark = pytest.mark.django_db


def test_seed_applications_loads_the_requested_number_of_rows(capsys):
    call_command("seed_applications", 250, "--seed", "3")
    assert ViberApplication.objects.count() == 250
    assert "Seeded 250 applications" in capsys.readouterr().out
    call_command("seed_applications", 50)  # continues after the rows present: no duplicate numbers
    assert ViberApplication.objects.values("request_no").distinct().count() == 300


def test_seeded_rows_fill_every_searched_column_and_the_json_documents():
    call_command("seed_applications", 40, verbosity=0)
    for app in ViberApplication.objects.all():
        for column in (
            *PREFIX_FIELDS,
            *CONTAINS_FIELDS,
            "industry",
            "state",
            "audit_result",
            "request_type",
        ):
            assert getattr(app, column), column
        assert app.gmt_create and app.fetched_at and app.review_status in ReviewStatus.values
        assert app.audit_record["CompanyLegalName"] == app.company_legal_name
        assert app.document["request_no"] == app.request_no
        for destination in app.document["destinations_local"] + app.document["destinations_international"]:
            assert set(destination) == {"raw", "dial_code", "iso", "name"} and destination["iso"].isupper()


def test_the_generator_is_deterministic_and_varied():
    import random

    first = [generate_row(random.Random(5), i)["company_english_name"] for i in range(3)]
    again = [generate_row(random.Random(5), i)["company_english_name"] for i in range(3)]
    assert first == again
    rng = random.Random(9)
    names = {generate_row(rng, i)["company_english_name"] for i in range(500)}
    assert len(names) > 450  # a name fragment selects a few rows, not a twentieth of the table


def test_seeded_rows_give_the_queue_review_statuses_and_recent_dates():
    call_command("seed_applications", 400, verbosity=0)
    statuses = set(ViberApplication.objects.values_list("review_status", flat=True))
    assert ReviewStatus.NEW in statuses and len(statuses) >= 3
    month_ago = timezone.now() - timedelta(days=30)
    assert ViberApplication.objects.filter(gmt_create__gte=month_ago).exists()  # the queue's 30-day metrics
    assert not ViberApplication.objects.filter(gmt_modified__gt=timezone.now()).exists()
