"""Real Chromium: a queue whose counts are not cached loads them into the page (htmx), with the
summary line and the page links, and nothing is refused by the Content-Security-Policy."""

import pytest

from applications.selectors.queue import PAGE_SIZE
from tests.factories import make_application


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_counts_section_fills_in_the_counts_and_the_page_links(page, live_server, log_in, reviewer):
    for number in range(PAGE_SIZE + 1):
        make_application(RequestNo=f"88{number:08d}")
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    log_in(reviewer, "/queue/?sort=request_no")
    page.wait_for_url("**/queue/?sort=request_no")
    title = page.locator("#counts-title")
    title.filter(has_text=f"{PAGE_SIZE + 1} applications").wait_for(timeout=10_000)
    assert page.locator("#counts").get_attribute("aria-busy") is None
    assert "Showing 1–50 of 51" in page.locator("#page-summary").inner_text()
    assert "Page 1 of 2" in page.locator("#queue-pages").inner_text()
    page.locator("#queue-pages").get_by_role("link", name="Last").click()
    page.wait_for_url("**page=2*")
    assert page.locator("table.queue-table tbody tr").count() == 1
    assert page.locator("#counts-title").inner_text() == f"{PAGE_SIZE + 1} applications"  # cached: inline
    assert not errors, errors
