"""The JSON API encodes a stored copy's body once per state of the row and language (real Redis)."""

import copy

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from applications.models import ViberApplication
from applications.services.review import review_set_status
from tests.factories import make_application

pytestmark = pytest.mark.django_db

NUMBER = "7401"
API_URL = reverse("applications:api-detail", args=[NUMBER])


@pytest.fixture(autouse=True)
def _stored_copies_are_fresh(settings, redis_settings):
    settings.CAMS_FRESH_SECONDS = 24 * 3600


@pytest.fixture
def stored():
    return make_application(RequestNo=NUMBER, State="A", audit_record={"CompanyEnglishName": 'Acme "</script>'})


def test_the_same_row_answers_the_same_bytes_and_every_change_answers_at_once(stored, logged_in, make_user):
    first, second = logged_in.get(API_URL), logged_in.get(API_URL)
    assert first.status_code == second.status_code == 200 and first.content == second.content
    assert first["Content-Type"] == "application/json"
    body = second.json()
    assert body["source"] == "cache" and body["application"]["company_english_name"] == 'Acme "</script>'
    # A review action, a new fetch of the same content and a new content each show on the next call.
    review_set_status(application=stored, status="acknowledged", actor=make_user("rita", "reviewers"))
    assert logged_in.get(API_URL).json()["application"]["review_status"] == "acknowledged"
    refetched = make_application(RequestNo=NUMBER, State="A", audit_record={"CompanyEnglishName": 'Acme "</script>'})
    assert logged_in.get(API_URL).json()["fetched_at"] == refetched.fetched_at.isoformat()
    make_application(RequestNo=NUMBER, State="I")
    assert logged_in.get(API_URL).json()["application"]["state_label"] == "In review"
    assert ViberApplication.objects.count() == 1


def test_language_and_code_table_are_part_of_the_key(stored, logged_in, settings):
    assert logged_in.get(API_URL).json()["application"]["state_label"] == "Active"
    assert logged_in.get(API_URL, {"lang": "zh-Hans"}).json()["application"]["state_label"] == "正常"
    table = copy.deepcopy(django_settings.CAMS_CODE_TABLE)
    table["State"]["A"]["label"] = "Live"
    settings.CAMS_CODE_TABLE = table
    assert logged_in.get(API_URL).json()["application"]["state_label"] == "Live"
