"""A fetch that brings the content already stored is written as one UPDATE of its stamps."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from applications.cams.client import interpret_response
from applications.models import ApplicationSnapshot
from applications.services.store import application_store_if_unchanged
from tests.factories import make_application, make_body

pytestmark = pytest.mark.django_db


def _fetched(request_id, **overrides):
    body = make_body(**overrides)
    body["RequestId"] = request_id
    return interpret_response(body)


def test_the_same_content_updates_only_the_stamps_in_one_query():
    application = make_application()
    before = application.fetched_at
    with CaptureQueriesContext(connection) as captured:
        assert application_store_if_unchanged(fetched=_fetched("REQ-SAME"), application=application)
    assert [query["sql"].split()[0] for query in captured.captured_queries] == ["UPDATE"]
    application.refresh_from_db()
    assert application.fetched_at > before
    assert application.last_request_id == "REQ-SAME"
    assert application.raw_response["RequestId"] == "REQ-SAME"
    assert ApplicationSnapshot.objects.filter(application=application).count() == 1


def test_new_content_writes_nothing_and_asks_for_the_full_store():
    application = make_application()
    stored = (application.fetched_at, application.last_request_id, application.content_hash)
    assert not application_store_if_unchanged(fetched=_fetched("REQ-NEW", State="I"), application=application)
    application.refresh_from_db()
    assert (application.fetched_at, application.last_request_id, application.content_hash) == stored


def test_content_stored_meanwhile_by_another_writer_is_not_overwritten():
    application = make_application()
    seen_by_refresh = type(application).objects.get(pk=application.pk)
    make_application(State="I")  # another writer stores new content after the refresh read the row
    assert not application_store_if_unchanged(fetched=_fetched("REQ-OLD"), application=seen_by_refresh)
    application.refresh_from_db()
    assert application.state == "I"
