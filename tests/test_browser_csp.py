"""The Content-Security-Policy in Chromium: htmx runs (its script has the nonce) and nothing is refused."""

import pytest

from tests.factories import make_application


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_queue_runs_htmx_under_the_policy_without_violations(page, live_server, log_in, reviewer):
    make_application()
    violations = []
    page.on("console", lambda message: "Content Security Policy" in message.text and violations.append(message.text))
    log_in(reviewer, "/queue/")
    page.wait_for_url("**/queue/")
    # The metrics panel is loaded by htmx (hx-trigger="load"): it only appears if the script ran.
    page.locator("#metrics-period").wait_for(state="attached", timeout=10_000)
    page.goto(f"{live_server.url}/applications/5435435435/")
    page.get_by_role("button", name="Refresh now").wait_for()
    # The example's logo links are plain http://: refused by img-src (https: only), and nothing else is.
    assert all("img-src" in text and "'http://" in text for text in violations), violations
