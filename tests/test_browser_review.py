"""Chromium walk-through of the review: queue, application, status change, note."""

import pytest

from tests.factories import make_application

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_reviewer_works_an_application_from_the_queue(page, log_in, reviewer, screenshot_dir):
    make_application(
        RequestNo="7001",
        AuditResult="reject",
        Reason="Logo <b>unclear</b>",
        audit_record={"CompanyEnglishName": "Acme Foods"},
    )
    make_application(RequestNo="7002", AuditResult="pass", audit_record={"CompanyEnglishName": "Bolt Travel"})

    log_in(reviewer, "/queue/")
    page.get_by_role("heading", name="Review queue").wait_for()

    # Filter by audit result with the labelled select; the filter lands in the URL.
    page.get_by_label("Audit result", exact=True).select_option("reject")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**/queue/?*audit_result=reject*")
    rows = page.locator("table.queue-table tbody tr")
    assert rows.count() == 1 and "Logo <b>unclear</b>" in rows.first.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=str(screenshot_dir / "viber-review-queue.png"), full_page=True)

    page.get_by_role("link", name="7001").click()
    page.wait_for_url("**/applications/7001/")
    review = page.locator("#review")
    assert "New" in review.locator("#review-status").inner_text()

    # Resolving a rejected application without a note is refused next to the note, the choice kept.
    review.get_by_label("Internal status").select_option("resolved")
    review.get_by_role("button", name="Set status").click()
    page.wait_for_load_state("load")
    page.locator("#status_note_error").wait_for(timeout=60_000)
    assert "needs a note" in page.locator("#status_note_error").inner_text()
    assert page.locator("#status_status").input_value() == "resolved"

    review = page.locator("#review")
    review.get_by_label("Internal status").select_option("following_up")
    review.get_by_role("button", name="Set status").click()
    page.locator(".message-success").wait_for()
    assert page.locator("#review-status").inner_text() == "Following up with customer"

    # Keyboard only: focus the note box, type, tab to its button and press Enter.
    page.get_by_label("Add a note").focus()
    page.keyboard.type("Emailed the customer about the logo")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Add note"
    page.keyboard.press("Enter")
    page.locator(".message-success").wait_for()
    log = page.locator("#review-log tbody tr")
    assert log.count() == 2
    assert "Emailed the customer about the logo" in log.nth(0).inner_text()
    assert "Following up with customer" in log.nth(1).inner_text()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=str(screenshot_dir / "viber-review-application-review.png"), full_page=True)

    # The queue now shows the new internal status.
    page.get_by_role("link", name="Review queue").click()
    page.get_by_label("Internal status", exact=True).select_option("following_up")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**review_status=following_up*")
    assert page.locator("table.queue-table tbody tr").count() == 1
    # Metrics arrive through htmx after the page loads.
    page.locator("#metric-waiting").wait_for()
