"""Forced refreshes need the refresh permission (reviewers have it, viewers do not); a plain lookup
stays open to every signed-in user."""

import pytest
from django.test import Client
from django.urls import reverse

from applications.permissions import can_refresh
from tests.factories import make_application

EXAMPLE_NO = "5435435435"
ENTRY_POINTS = ["applications:refresh", "applications:refresh-background"]


def _client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_reviewers_can_refresh_viewers_and_plain_users_cannot(make_user):
    assert can_refresh(make_user("rita", "reviewers"))
    assert not can_refresh(make_user("victor", "viewers"))
    assert not can_refresh(make_user("member"))


@pytest.mark.django_db
@pytest.mark.parametrize("name", ENTRY_POINTS)
def test_a_viewer_gets_403_and_nothing_is_fetched_or_queued(
    make_user, live_cams, django_capture_on_commit_callbacks, name
):
    application = make_application()
    fetched_at = application.fetched_at
    client = _client_for(make_user("victor", "viewers"))  # saving a user queues a role-cache reset
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse(name, args=[EXAMPLE_NO]))
    assert response.status_code == 403
    assert callbacks == []
    application.refresh_from_db()
    assert application.fetched_at == fetched_at


@pytest.mark.django_db
def test_a_reviewer_refreshes_now(make_user, live_cams):
    application = make_application()
    response = _client_for(make_user("rita", "reviewers")).post(reverse("applications:refresh", args=[EXAMPLE_NO]))
    assert response.status_code == 302
    previous = application.fetched_at
    application.refresh_from_db()
    assert application.fetched_at > previous


@pytest.mark.django_db
def test_a_reviewer_queues_a_background_refresh(make_user, django_capture_on_commit_callbacks):
    make_application()
    client = _client_for(make_user("rita", "reviewers"))  # saving a user queues a role-cache reset
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("applications:refresh-background", args=[EXAMPLE_NO]))
    assert response.status_code == 302 and len(callbacks) == 1


@pytest.mark.django_db
def test_a_viewer_still_looks_up_and_sees_no_refresh_buttons(make_user, live_cams, soup_of):
    client = _client_for(make_user("victor", "viewers"))
    response = client.get(reverse("applications:lookup"), {"request_no": EXAMPLE_NO}, follow=True)
    assert response.status_code == 200
    page = soup_of(response)
    assert page.select_one("#company") is not None
    assert not page.find("button", string="Refresh now")
    assert not page.find("button", string="Queue background refresh")
    reviewer_page = soup_of(
        _client_for(make_user("rita", "reviewers")).get(reverse("applications:detail", args=[EXAMPLE_NO]))
    )
    assert reviewer_page.find("button", string="Refresh now")
