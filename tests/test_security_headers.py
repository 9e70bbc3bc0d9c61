"""Security headers on each kind of response, and no caching of anything per-user."""

import re

import pytest
from django.urls import reverse

from tests.factories import make_application

EXAMPLE_NO = "5435435435"


def _csp(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


def _nonce(response) -> str:
    return re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)


@pytest.mark.django_db
def test_pages_get_a_strict_policy_and_no_store(admin_client):
    make_application()
    response = admin_client.get(reverse("applications:detail", args=[EXAMPLE_NO]))
    policy = _csp(response)
    assert policy["default-src"] == ["'self'"] and policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"] and policy["style-src"] == ["'self'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    assert "no-store" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff" and response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.django_db
def test_every_script_on_the_htmx_pages_carries_this_responses_nonce(admin_client, soup_of):
    for url in (reverse("applications:queue"),):
        response = admin_client.get(url)
        scripts = soup_of(response).find_all("script")
        assert scripts, "the queue loads htmx"
        assert {script.get("nonce") for script in scripts} == {_nonce(response)}
        assert all(script.get("src") for script in scripts)  # no inline code at all


def test_no_template_has_inline_script_or_event_handlers():
    from django.conf import settings

    offenders = []
    for path in (settings.BASE_DIR / "templates").rglob("*.html"):
        if path.parent.name == "notifications" and path.name.startswith("email"):
            continue  # an e-mail body: no CSP there, and mail clients need inline styles
        text = path.read_text()
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text) or re.search(r"\son[a-z]+\s*=", text):
            offenders.append(path.name)
        if re.search(r"\sstyle\s*=|<style", text) or "javascript:" in text or "hx-on" in text:
            offenders.append(path.name)
    assert offenders == []


@pytest.mark.django_db
def test_the_api_and_exports_are_not_stored(admin_client):
    make_application()
    api = admin_client.get(reverse("applications:api-detail", args=[EXAMPLE_NO]))
    assert api["Content-Type"] == "application/json" and "no-store" in api["Cache-Control"]
    assert api["X-Content-Type-Options"] == "nosniff"
    for name in ("applications:queue-export", "applications:queue-export-xlsx"):
        export = admin_client.get(reverse(name))
        assert export.status_code == 200 and "no-store" in export["Cache-Control"]


@pytest.mark.django_db
def test_the_login_page_carries_the_policy_and_is_not_stored(client):
    response = client.get(reverse("login"))
    assert "Content-Security-Policy" in response and "no-store" in response["Cache-Control"]


def test_https_settings_are_off_locally(settings):
    # Local runs speak plain HTTP; production turns these on (see test_production_settings).
    assert settings.SECURE_SSL_REDIRECT is False and settings.SECURE_HSTS_SECONDS == 0
