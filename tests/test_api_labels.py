"""The JSON API keeps English field names and raw codes and adds labels in the requested language:
``?lang=``, else the user's saved language, else Accept-Language, else LANGUAGE_CODE."""

import pytest
from django.test import Client
from django.urls import reverse

from applications.services.preferences import user_preferences_set
from tests.factories import make_application

pytestmark = pytest.mark.django_db

API_URL = reverse("applications:api-detail", args=["5435435435"])
CODES = {"State": "A", "AuditResult": "pass", "RequestType": "viberOpen"}


@pytest.fixture
def stored():
    return make_application(State=CODES["State"], AuditResult=CODES["AuditResult"], RequestType=CODES["RequestType"])


def labels(document) -> dict:
    return {key: document[key] for key in document if key.endswith("_label")}


def codes_of(document) -> dict:
    return {
        "State": document["state"],
        "AuditResult": document["audit_result"],
        "RequestType": document["request_type"],
    }


def test_labels_are_english_by_default(stored, logged_in):
    response = logged_in.get(API_URL)
    document = response.json()["application"]
    assert labels(document) == {
        "state_label": "Active",
        "audit_result_label": "Approved",
        "request_type_label": "Open account",
        "review_status_label": "New",
    }
    assert document["review_status"] == "new"
    assert response["Content-Language"] == "en"


def test_lang_parameter_gives_simplified_chinese_labels_and_keeps_codes(stored, logged_in):
    english = logged_in.get(API_URL).json()
    response = logged_in.get(API_URL, {"lang": "zh-Hans"})
    chinese = response.json()
    assert response["Content-Language"] == "zh-hans"
    assert labels(chinese["application"]) == {
        "state_label": "正常",
        "audit_result_label": "审核通过",
        "request_type_label": "开通账号",
        "review_status_label": "新建",
    }
    # Everything but the labels is the same: keys, raw codes, the raw body.
    assert set(chinese) == set(english) and set(chinese["application"]) == set(english["application"])
    assert codes_of(chinese["application"]) == codes_of(english["application"])
    assert chinese["raw"] == english["raw"]
    assert {k: v for k, v in chinese["application"].items() if not k.endswith("_label")} == {
        k: v for k, v in english["application"].items() if not k.endswith("_label")
    }


def test_accept_language_chooses_the_labels_too(stored, make_user):
    client = Client(headers={"accept-language": "zh-CN,zh;q=0.9"})
    client.force_login(make_user("li"))
    assert client.get(API_URL).json()["application"]["audit_result_label"] == "审核通过"


def test_lang_wins_over_the_users_saved_language(stored, make_user):
    user = make_user("li")
    user_preferences_set(user=user, language="zh-hans")
    client = Client()
    client.force_login(user)
    assert client.get(API_URL).json()["application"]["state_label"] == "正常"
    assert client.get(API_URL, {"lang": "en"}).json()["application"]["state_label"] == "Active"


def test_an_unknown_lang_is_a_clear_400(stored, logged_in):
    response = logged_in.get(API_URL, {"lang": "<b>xx</b>"})
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "invalid_request" and "lang" in body["fields"]
    assert "en, zh-hans" in body["message"]


def test_a_code_outside_the_table_is_labelled_with_itself(logged_in):
    make_application(State="brandNew")
    document = logged_in.get(API_URL, {"lang": "zh-hans"}).json()["application"]
    assert document["state"] == "brandNew" and document["state_label"] == "brandNew"


def test_a_cams_failure_keeps_its_kind_and_gets_a_title_in_the_requested_language(cams_unreachable, logged_in):
    response = logged_in.get(API_URL, {"lang": "zh-hans"})
    assert response.status_code == 503
    body = response.json()
    assert body["error"] == "unavailable" and body["transient"] is True
    assert body["title"] == "CAMS 暂不可用，或返回了无法解析的内容"
    assert logged_in.get(API_URL).json()["title"] == "CAMS is unavailable or answered something unreadable"
