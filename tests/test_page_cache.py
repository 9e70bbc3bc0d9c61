"""The application page is served from the page cache until something it shows changes.

A hit is recognised by Django's test instrumentation: a page rendered by the template engine lists
its templates on the response, a page from the cache lists none. Runs against real Redis.
"""

import re

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from tests.factories import make_application

pytestmark = pytest.mark.django_db

NUMBER = "7301"


@pytest.fixture(autouse=True)
def _stored_copies_are_fresh(settings, redis_settings):
    settings.CAMS_FRESH_SECONDS = 24 * 3600  # the page shows the stored copy without asking CAMS


@pytest.fixture
def application():
    return make_application(RequestNo=NUMBER, audit_record={"CompanyEnglishName": "Acme <script>alert(1)</script>"})


@pytest.fixture
def reviewer(make_user):
    return make_user("rita", "reviewers", first_name="Rita")


def _page(client):
    return client.get(reverse("applications:detail", args=[NUMBER]))


def _cached(response) -> bool:
    return response.status_code == 200 and not response.templates


def _soup(response):
    return BeautifulSoup(response.content, "html.parser")


def test_the_second_view_is_the_cached_page_with_this_responses_nonce_and_a_valid_token(application, reviewer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(reviewer)
    first, second = _page(client), _page(client)
    assert not _cached(first) and _cached(second)
    # The same page, but for what is per response: the CSP nonce and the masked CSRF tokens.
    nonce = re.search(r"'nonce-([^']+)'", second["Content-Security-Policy"])[1]
    assert _soup(second).select_one("script[nonce]")["nonce"] == nonce
    assert nonce not in first.content.decode() and "\x1e" not in second.content.decode()
    tokens = {tag["value"] for tag in _soup(second).select("input[name=csrfmiddlewaretoken]")}
    assert tokens and not tokens & {tag["value"] for tag in _soup(first).select("input[name=csrfmiddlewaretoken]")}
    # The hostile company name is as escaped as on the rendered page.
    assert b"<script>alert(1)</script>" not in second.content
    assert _soup(second).select_one("h1").get_text(strip=True) == _soup(first).select_one("h1").get_text(strip=True)
    # A form from the cached page posts: its token belongs to this session.
    posted = client.post(
        reverse("applications:review-status", args=[application.pk]),
        {"csrfmiddlewaretoken": tokens.pop(), "status": "acknowledged", "note": ""},
    )
    assert posted.status_code == 302


def test_a_review_change_a_message_and_the_bell_each_show_at_once(application, reviewer):
    client = Client()
    client.force_login(reviewer)
    _page(client)
    client.post(reverse("applications:review-status", args=[application.pk]), {"status": "acknowledged", "note": ""})
    after_post = _page(client)  # carries the "status set" message: rendered, not cached
    assert not _cached(after_post) and after_post.context["messages"]
    assert _soup(after_post).select_one("#review-status").get_text(strip=True) == "Acknowledged"
    again = _page(client)
    assert not _cached(again)  # the message was shown: a new key is rendered once, then cached
    assert _cached(_page(client))
    client.post(reverse("applications:watch", args=[NUMBER]), {"watch": "1"})
    _page(client), _page(client)  # the watch's message, then the page with "Watching"
    assert _cached(_page(client))
    make_application(RequestNo=NUMBER, AuditResult="reject")  # a change: a notification for the watcher
    with_bell = _page(client)
    assert not _cached(with_bell) and _soup(with_bell).select_one("#bell-count").get_text() == "1"


def test_each_user_gets_their_own_page_and_a_grant_changes_it_at_once(application, reviewer, make_user):
    viewer = make_user("vic", "viewers", first_name="Victor")
    rita, vic = Client(), Client()
    rita.force_login(reviewer)
    vic.force_login(viewer)
    _page(rita), _page(vic)
    rita_page, vic_page = _page(rita), _page(vic)
    assert _cached(rita_page) and _cached(vic_page)
    assert "Rita" in _soup(rita_page).select_one(".nav-user").get_text()
    assert "Victor" in _soup(vic_page).select_one(".nav-user").get_text()
    assert _soup(rita_page).select_one("#status-form") and not _soup(vic_page).select_one("#status-form")
    viewer.user_permissions.add(Permission.objects.get(codename="review_application"))
    granted = _page(vic)
    assert not _cached(granted) and _soup(granted).select_one("#status-form")


def test_a_new_fetch_language_or_debug_renders_afresh(application, reviewer, settings):
    client = Client()
    client.force_login(reviewer)
    _page(client)
    assert _cached(_page(client))
    make_application(RequestNo=NUMBER, audit_record={"CompanyEnglishName": "Renamed Ltd"})
    renamed = _page(client)
    assert not _cached(renamed) and "Renamed Ltd" in _soup(renamed).select_one("h1").get_text()
    chinese = client.get(reverse("applications:detail", args=[NUMBER]), HTTP_ACCEPT_LANGUAGE="zh-Hans")
    assert not _cached(chinese) and chinese["Content-Language"] == "zh-hans"
    settings.DEBUG = True
    assert not _cached(_page(client))
