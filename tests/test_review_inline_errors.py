"""A review action that cannot be done re-shows the page with the error next to its field."""

import pytest
from django.urls import reverse

from tests.factories import make_application

pytestmark = pytest.mark.django_db


def test_resolving_a_rejection_without_a_note_keeps_the_choice_and_marks_the_note(client, reviewer, soup_of, text_of):
    application = make_application(RequestNo="8801", AuditResult="reject")
    client.force_login(reviewer)
    response = client.post(
        reverse("applications:review-status", args=[application.pk]), {"status": "resolved", "note": "  "}
    )
    assert response.status_code == 400
    page = soup_of(response)
    form = page.select_one("#status-form")
    error = form.select_one("#status_note_error")
    assert "needs a note" in text_of(error)
    note = form.select_one("#status_note")
    assert note["aria-invalid"] == "true" and "status_note_error" in note["aria-describedby"]
    assert form.select_one("#status_status option[selected]")["value"] == "resolved"  # the choice is kept
    assert not page.select(".message-error")  # no banner at the top
    assert page.select_one("#summary")  # the whole application page, not a bare form
    application.refresh_from_db()
    assert application.review_status == "new"


def test_an_empty_note_is_refused_next_to_the_note_box(client, reviewer, soup_of, text_of):
    application = make_application(RequestNo="8802")
    client.force_login(reviewer)
    response = client.post(reverse("applications:review-note", args=[application.pk]), {"note": ""})
    assert response.status_code == 400
    assert "required" in text_of(soup_of(response).select_one("#note-form #note_note_error"))


def test_a_valid_action_still_redirects_back_to_the_review(client, reviewer):
    application = make_application(RequestNo="8803")
    client.force_login(reviewer)
    response = client.post(reverse("applications:review-status", args=[application.pk]), {"status": "following_up"})
    assert response.status_code == 302 and response["Location"].endswith("#review")
