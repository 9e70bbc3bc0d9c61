"""Login throttling (django-axes): wrong passwords lock the account and the address out of both login
pages until the cool-off passes or an admin clears the lockout."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse
from django.utils import timezone

LOGIN_URLS = [reverse("login"), reverse("admin:login")]


@pytest.fixture
def throttled(settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)
    return settings


def _log_in(client, url, username, password, *, address="10.0.0.1"):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=address)


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.django_db
@pytest.mark.parametrize("url", LOGIN_URLS, ids=["site login", "admin login"])
def test_wrong_passwords_lock_the_account_out_even_for_the_right_password(throttled, make_user, password, url):
    make_user("alice", password=password, is_staff=True)
    client = Client()
    for _ in range(2):
        assert _log_in(client, url, "alice", "wrong password").status_code == 200  # the form again
    assert _log_in(client, url, "alice", "wrong password").status_code == 429  # the limit is reached
    refused = _log_in(client, url, "alice", password)
    assert refused.status_code == 429
    body = refused.content.decode()
    assert "Too many failed logins" in body and "after 3 failed attempts" in body and "0:15:00" in body
    assert not _signed_in(client)


@pytest.mark.django_db
def test_the_lockout_is_per_user_across_addresses_and_per_address_across_users(throttled, make_user, password):
    make_user("alice", password=password)
    make_user("bob", password=password)
    url = reverse("login")
    for address in ("10.0.0.1", "10.0.0.2", "10.0.0.3"):  # one account from many addresses
        _log_in(Client(), url, "alice", "wrong", address=address)
    assert _log_in(Client(), url, "alice", password, address="10.0.0.9").status_code == 429
    for name in ("carol", "dave", "erin"):  # many accounts from one address
        _log_in(Client(), url, name, "wrong", address="10.0.0.50")
    assert _log_in(Client(), url, "bob", password, address="10.0.0.50").status_code == 429
    client = Client()
    assert _log_in(client, url, "bob", password, address="10.0.0.51").status_code == 302 and _signed_in(client)


@pytest.mark.django_db
def test_after_the_cool_off_the_right_password_works_again(throttled, make_user, password):
    make_user("alice", password=password)
    url = reverse("login")
    for _ in range(3):
        _log_in(Client(), url, "alice", "wrong")
    assert _log_in(Client(), url, "alice", password).status_code == 429
    # The cool-off has passed: the stored attempts are older than it.
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    client = Client()
    assert _log_in(client, url, "alice", password).status_code == 302 and _signed_in(client)


@pytest.mark.django_db
def test_an_admin_sees_the_lockout_and_clears_it(throttled, make_user, password, admin_client):
    make_user("alice", password=password)
    url = reverse("login")
    for _ in range(3):
        _log_in(Client(), url, "alice", "wrong")
    changelist = reverse("admin:axes_accessattempt_changelist")
    listing = admin_client.get(changelist, {"locked_out": "yes"})
    assert listing.status_code == 200 and "alice" in listing.content.decode()
    ids = list(AccessAttempt.objects.values_list("pk", flat=True))
    cleared = admin_client.post(changelist, {"action": "delete_selected", "_selected_action": ids, "post": "yes"})
    assert cleared.status_code == 302 and not AccessAttempt.objects.exists()
    client = Client()
    assert _log_in(client, url, "alice", password).status_code == 302 and _signed_in(client)


@pytest.mark.django_db
def test_an_overlong_user_name_counts_as_a_failure_not_a_server_error(throttled):
    for _ in range(4):
        response = _log_in(Client(), reverse("login"), "x" * 3000, "wrong")
        assert response.status_code in (200, 429)
    assert AccessAttempt.objects.get().username == "x" * 150
