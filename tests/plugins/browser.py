"""Real Chromium through Playwright against the live server.

Debian's Chromium is used (not Playwright's download), so nothing is fetched at test time.
"""

import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM (used by the fixtures
# and the live server's session checks) would otherwise refuse to run beside it.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = os.environ.get("PLAYWRIGHT_CHROMIUM_EXECUTABLE", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


@pytest.fixture
def page(require):
    """A Chromium page at laptop size."""
    require(Path(CHROMIUM).exists(), f"Chromium not installed at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        context = browser.new_context(viewport={"width": 1366, "height": 900})
        yield context.new_page()
        # While Playwright's loop runs, Django's connection lives in that loop's context: close it
        # here, or it outlives the test and blocks dropping the test database.
        from django.db import connections

        connections.close_all()
        context.close()
        browser.close()


@pytest.fixture
def screenshot_dir() -> Path:
    return Path(os.environ.get("BROWSER_SCREENSHOT_DIR", "/tmp"))


@pytest.fixture
def log_in(page, live_server, password):
    """``log_in(user, path="/")``: open ``path``, sign in as ``user`` through the form, wait for the page."""

    def sign_in(user, path="/"):
        user.set_password(password)
        user.save(update_fields=["password"])
        page.goto(f"{live_server.url}{path}")
        page.get_by_label("Username").fill(user.username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Log in").click()
        page.get_by_role("button", name="Log in").wait_for(state="detached")

    return sign_in
