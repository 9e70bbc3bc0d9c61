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


@pytest.fixture(scope="session")
def browser(require):
    """One Chromium for the whole session (starting it costs about a second each time)."""
    require(Path(CHROMIUM).exists(), f"Chromium not installed at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A Chromium page at laptop size, in a fresh context (cookies and storage) per test."""
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    yield context.new_page()
    # While Playwright's loop runs, Django's connection lives in that loop's context: close it
    # here, or it outlives the test and blocks dropping the test database.
    from django.db import connections

    connections.close_all()
    context.close()


SCREENSHOT_DIR = Path(__file__).resolve().parents[2] / "var" / "screenshots"


@pytest.fixture
def screenshot_dir() -> Path:
    """Where browser tests write screenshots: ``var/screenshots/`` (git-ignored), or BROWSER_SCREENSHOT_DIR."""
    path = Path(os.environ.get("BROWSER_SCREENSHOT_DIR") or SCREENSHOT_DIR)
    path.mkdir(parents=True, exist_ok=True)
    return path


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
