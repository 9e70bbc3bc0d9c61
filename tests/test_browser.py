"""Real Chromium through Playwright against the live server: log in, look up, read the page."""

import pytest

from tests.factories import make_application

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_reviewer_looks_up_the_documents_example(page, log_in, live_cams, reviewer, screenshot_dir):
    log_in(reviewer)
    page.get_by_label("Request number").fill("5435435435")
    page.get_by_role("button", name="Look up").click()
    page.wait_for_url("**/applications/5435435435/")
    company = page.locator("#company")
    assert "xxxxxxcompany" in company.inner_text()
    assert "Fetched from CAMS just now" in page.locator("#fetch").inner_text()
    assert page.title().startswith("english (5435435435)")
    page.screenshot(path=str(screenshot_dir / "viber-review-detail-live.png"), full_page=True)


def test_the_application_page_fits_a_laptop_screen(page, live_server, log_in, make_user, screenshot_dir):
    make_application()
    log_in(make_user("rita", "reviewers", first_name="Rita", last_name="Review"))
    page.goto(f"{live_server.url}/applications/5435435435/")
    assert "Rita Review" in page.get_by_role("navigation", name="Main").inner_text()
    # No sideways scrolling at laptop width: long upstream values must wrap.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=str(screenshot_dir / "viber-review-detail.png"), full_page=True)
    page.screenshot(path=str(screenshot_dir / "viber-review-detail-top.png"))
