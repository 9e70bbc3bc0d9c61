"""Chromium: watch an application, the simulator moves it, the background refresh notices, the bell
shows 1 and the inbox names the change."""

import pytest

from applications.models import ViberApplication
from applications.sandbox.dataset import build_dataset
from applications.services.refresh import Outcome, application_refresh

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _moving_number():
    dataset = build_dataset()
    for number in dataset.request_numbers():
        data, space = dataset.get(number)
        if not space and data.get("AuditResult") == "unAudit":  # its next step changes AuditResult only
            return number
    raise AssertionError("the simulator data set has no application awaiting audit")


def test_a_watcher_sees_the_change_in_the_bell_and_the_inbox(
    page, log_in, live_server, live_cams, make_user, screenshot_dir
):
    number = _moving_number()
    log_in(make_user("vic", "viewers"), f"/applications/{number}/")
    page.wait_for_url(f"**/applications/{number}/")
    assert page.locator("#bell-count").count() == 0
    page.get_by_role("button", name="Watch").click()
    page.locator(".message-success").wait_for()
    assert "watching" in page.locator(".message-success").inner_text()

    assert live_cams.advance(number)  # CAMS moves the application on
    application = ViberApplication.objects.get(request_no=number)
    assert application_refresh(application_id=application.pk) == Outcome.CHANGED

    page.reload()
    assert page.locator("#bell-count").inner_text() == "1"
    page.locator("#bell").click()
    page.wait_for_url("**/notifications/")
    row = page.locator("#inbox tbody tr").first
    assert number in row.inner_text() and "Audit result Awaiting audit → Under audit" in row.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=str(screenshot_dir / "viber-review-notifications.png"), full_page=True)
    row.get_by_role("link").click()
    page.wait_for_url(f"**/applications/{number}/")
