"""What the pages show of upstream values: bidi marked, dial-code mismatches, null vs empty, labels."""

import pytest
from django.urls import reverse

from tests.factories import make_application

pytestmark = pytest.mark.django_db

RLO = "\u202e"


def test_bidi_controls_are_shown_marked_not_applied(logged_in):
    make_application(RequestNo="8900000001", audit_record={"CompanyEnglishName": f"Acme {RLO}moc.live"})
    body = logged_in.get(reverse("applications:detail", args=["8900000001"])).content.decode()
    assert RLO not in body
    assert "Acme [U+202E]moc.live" in body


def test_a_destination_whose_dial_code_is_another_countrys_is_flagged(logged_in, soup_of, text_of):
    make_application(RequestNo="8900000002", audit_record={"MessageDestinationCountry": ["61|ES", "34|ES"]})
    page = soup_of(logged_in.get(reverse("applications:detail", args=["8900000002"])))
    rows = page.select("#destinations table.destinations tbody tr")
    flagged = [text_of(row) for row in rows if "dial-mismatch" in row.get("class", [])]
    assert len(flagged) == 1 and "+61 is Australia" in flagged[0] and "ES is +34" in flagged[0]


def test_a_field_not_sent_and_an_empty_one_read_differently(logged_in, soup_of):
    make_application(RequestNo="8900000003", audit_record={"ContactPosition": "", "ContactName": None})
    page = soup_of(logged_in.get(reverse("applications:detail", args=["8900000003"])))
    rows = {row.select_one("dt .key").get_text(): row.select_one("dd") for row in page.select("#contact .field-row")}
    assert rows["ContactPosition"].select_one(".empty").get_text() == "(empty)"
    assert rows["ContactName"].select_one(".missing")["title"].startswith("not sent")


def test_industry_and_age_limit_show_labels_with_the_raw_code(logged_in, soup_of, text_of):
    make_application(RequestNo="8900000004")  # the document's example: cateringServices, eighteenUp
    page = soup_of(logged_in.get(reverse("applications:detail", args=["8900000004"])))
    text = text_of(page.select_one(".sections"))
    assert "Catering services cateringServices" in text and "18 and over eighteenUp" in text


def test_the_queue_drops_empty_filters_from_its_url_and_words_sorts_by_column(logged_in, soup_of):
    response = logged_in.get(reverse("applications:queue"), {"q": "", "state": "A", "sort": "", "assignee": ""})
    assert response.status_code == 302 and response["Location"] == reverse("applications:queue") + "?state=A"
    page = soup_of(logged_in.get(reverse("applications:queue")))
    options = [option.get_text() for option in page.select("select[name=sort] option")]
    assert "Company, A→Z" in options and "Created, newest first" in options
    assert "Time in state, longest first" in options
    assert not [option for option in options if "highest" in option]
