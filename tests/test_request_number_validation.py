"""Request numbers and customer spaces that would be path-segment tricks are refused clearly."""

import pytest
from django.core.exceptions import ValidationError

from applications.validation import clean_cust_space_id, clean_request_no


@pytest.mark.parametrize("value", [".", "..", "...", " .. "])
def test_dots_alone_are_refused_as_path_names(value):
    with pytest.raises(ValidationError) as caught:
        clean_request_no(value)
    assert caught.value.code == "path_segment"
    assert "'.' or '..'" in caught.value.messages[0]


@pytest.mark.parametrize("value", ["-", "_", "--", "-._"])
def test_punctuation_alone_is_refused(value):
    with pytest.raises(ValidationError) as caught:
        clean_request_no(value)
    assert caught.value.code == "no_letters_or_digits"


@pytest.mark.parametrize("value", ["5435435435", "REQ-1.2", ".1", "a..b", "1_"])
def test_ordinary_request_numbers_pass(value):
    assert clean_request_no(value) == value


@pytest.mark.parametrize("value", [".", "..", "-"])
def test_customer_spaces_follow_the_same_rule(value):
    with pytest.raises(ValidationError):
        clean_cust_space_id(value)
    assert clean_cust_space_id("space-1") == "space-1"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/lookup/?request_no=..",
        "/lookup/?request_no=.",
        "/applications/.../",
        "/applications/1/?cust_space_id=..",
    ],
)
def test_pages_answer_a_clear_400_without_calling_cams(client, django_user_model, url, live_cams):
    client.force_login(django_user_model.objects.create_user("viewer-dots"))
    response = client.get(url)
    assert response.status_code == 400
    assert b"letter or digit" in response.content or b"path names" in response.content
    assert live_cams.stats()["calls"] == 0


@pytest.mark.django_db
def test_the_api_answers_a_clear_400(client, django_user_model, live_cams):
    client.force_login(django_user_model.objects.create_user("api-dots"))
    response = client.get("/api/applications/.../")
    assert response.status_code == 400
    assert "path names" in response.json()["message"]
    assert live_cams.stats()["calls"] == 0
