"""Real Chromium through Playwright against the live server: log in, look up, read the page.

Debian's Chromium is used (not Playwright's download), so nothing is fetched at test time.
"""
import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM (used by the fixtures
# and the live server's session checks) would otherwise refuse to run beside it.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = os.environ.get("PLAYWRIGHT_CHROMIUM_EXECUTABLE", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
SCREENSHOT_DIR = Path(os.environ.get("BROWSER_SCREENSHOT_DIR", "/tmp"))
PASSWORD = "a long enough test password"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"Chromium is required under CI and is missing at {CHROMIUM}")
        pytest.skip(f"Chromium not installed at {CHROMIUM}")
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
def reviewer(django_user_model):
    return django_user_model.objects.create_user("reviewer", password=PASSWORD, first_name="Rita", last_name="Review")


def log_in(page, live_server, reviewer):
    page.goto(f"{live_server.url}/")
    page.get_by_label("Username").fill(reviewer.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_label("Request number").wait_for()


def test_a_reviewer_looks_up_the_documents_example(page, live_server, live_cams, reviewer):
    log_in(page, live_server, reviewer)
    page.get_by_label("Request number").fill("5435435435")
    page.get_by_role("button", name="Look up").click()
    page.wait_for_url("**/applications/5435435435/")
    company = page.locator("#company")
    assert "xxxxxxcompany" in company.inner_text()
    assert "Fetched from CAMS just now" in page.locator("#fetch").inner_text()
    assert page.title().startswith("english (5435435435)")
    page.screenshot(path=str(SCREENSHOT_DIR / "viber-review-detail-live.png"), full_page=True)


def test_the_application_page_fits_a_laptop_screen(page, live_server, reviewer):
    from tests.factories import make_application

    make_application()
    log_in(page, live_server, reviewer)
    page.goto(f"{live_server.url}/applications/5435435435/")
    assert "Rita Review" in page.get_by_role("navigation", name="Main").inner_text()
    # No sideways scrolling at laptop width: long upstream values must wrap.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=str(SCREENSHOT_DIR / "viber-review-detail.png"), full_page=True)
    page.screenshot(path=str(SCREENSHOT_DIR / "viber-review-detail-top.png"))
