"""Real Chromium: the review queue in Simplified Chinese, switched from the header's language
button; labels, sort wording and counts follow, and the page keeps its layout at 1366 px
(screenshot ``queue-zh-hans-1366.png`` in the screenshot directory)."""

import pytest

from tests.factories import make_application

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_queue_reads_in_simplified_chinese(page, log_in, reviewer, screenshot_dir):
    make_application(RequestNo="7001", AuditResult="reject", audit_record={"CompanyEnglishName": "Acme Foods"})
    make_application(RequestNo="7002", AuditResult="pass", audit_record={"CompanyEnglishName": "Bolt Travel"})

    log_in(reviewer, "/queue/")
    page.get_by_role("heading", name="Review queue").wait_for()
    page.locator(".language-switcher").get_by_role("button", name="简体中文").click()

    page.get_by_role("heading", name="审核队列", level=1).wait_for()
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert page.title().startswith("审核队列")
    assert page.locator("#counts-title").inner_text() == "2 个申请"
    # Filter labels, buttons and the sort wording.
    for label in ("搜索", "审核结果", "内部状态", "负责人", "排序方式"):
        assert page.get_by_label(label, exact=True).count() == 1, label
    assert page.get_by_role("button", name="应用筛选").is_visible()
    assert page.get_by_role("link", name="下载 CSV").is_visible()
    assert "排序：创建时间，最新的在前。" in page.locator("#page-summary").inner_text()
    headers = page.locator("table.queue-table thead th")
    assert [headers.nth(i).inner_text().strip(" ▲▼") for i in (0, 4, 10)] == ["申请编号", "状态", "内部状态"]
    assert page.get_by_role("link", name="申请编号，降序排列").is_visible()
    # The metrics arrive over htmx, in the same language.
    page.locator("#metric-waiting").wait_for()
    assert page.get_by_role("heading", name="指标").is_visible()
    assert "等待中（未结束）" in page.locator("#metrics").inner_text()

    # Chinese glyphs are drawn (a CJK font is installed) and the page does not scroll sideways.
    assert page.locator("#queue-title").bounding_box()["width"] > 40
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=str(screenshot_dir / "queue-zh-hans-1366.png"), full_page=True)
    page.set_viewport_size({"width": 800, "height": 900})  # the narrow layout holds in Chinese too
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=str(screenshot_dir / "queue-zh-hans-800.png"), full_page=True)

    # Filtering keeps the language.
    page.get_by_label("审核结果", exact=True).select_option("reject")
    page.get_by_role("button", name="应用筛选").click()
    page.wait_for_url("**/queue/?*audit_result=reject*")
    assert page.locator("#counts-title").inner_text() == "1 个申请符合筛选条件"
    assert page.locator("table.queue-table tbody tr").count() == 1
