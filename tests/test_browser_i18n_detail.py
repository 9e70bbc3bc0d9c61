"""Real Chromium: the application page in Simplified Chinese. A reviewer switches language through
the preferences form and opens the API document's example (stored through the simulator and the
real SDK); section titles, field labels, code labels and the review panel are in Chinese while the
CAMS field names and upstream values stay as sent. Screenshot: detail-zh-hans-1366.png."""

import pytest

from applications.services.lookup import application_lookup

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EXAMPLE_NO = "5435435435"  # the API document's example


def test_the_application_page_reads_in_simplified_chinese(
    page, live_server, live_cams, log_in, reviewer, screenshot_dir
):
    application_lookup(request_no=EXAMPLE_NO)
    log_in(reviewer)
    page.goto(f"{live_server.url}/preferences/")
    form = page.locator("#preferences-form")
    form.get_by_label("Language").select_option("zh-hans")
    form.get_by_role("button", name="Save").click()
    page.get_by_role("heading", name="语言和时区").wait_for()

    page.goto(f"{live_server.url}/applications/{EXAMPLE_NO}/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    summary = page.locator("#summary")
    assert "申请编号" in summary.inner_text()
    assert summary.get_by_text("审核结果", exact=True).is_visible()
    assert summary.locator(".badge").first.inner_text() == "正常"  # State A, label from the code table
    assert page.get_by_role("button", name="立即刷新").is_visible()

    assert page.get_by_role("heading", name="状态与审核").is_visible()
    company = page.locator("#company")
    assert company.get_by_role("heading").inner_text() == "公司"
    english_name = company.locator(".field-row").filter(has_text="CompanyEnglishName")
    # The label is translated; the CAMS field name and the applicant's value are not.
    assert "企业英文名称" in english_name.locator("dt").inner_text()
    assert english_name.locator(".key").inner_text() == "CompanyEnglishName"
    assert "english" in english_name.locator("dd").inner_text()
    industry = company.locator(".field-row").filter(has_text="IndustryInvolved").locator("dd")
    assert "餐饮服务" in industry.inner_text() and "cateringServices" in industry.inner_text()

    assert page.locator("#review-title").inner_text() == "内部审核"
    assert page.locator("#fetch-title").inner_text() == "获取与历史"
    assert "刚从 CAMS 获取" not in page.locator("#fetch").inner_text()  # a stored copy, not a fetch
    assert page.locator("#changes-title").inner_text() == "快照之间的变更"

    # Chinese glyphs are drawn (a CJK font is installed), and the longer labels do not push the
    # page sideways at laptop width.
    assert page.locator("#company-title").bounding_box()["width"] > 20
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=str(screenshot_dir / "detail-zh-hans-1366.png"), full_page=True)
    page.screenshot(path=str(screenshot_dir / "detail-zh-hans-1366-first-screen.png"))
    page.set_viewport_size({"width": 800, "height": 900})  # the narrow layout holds in Chinese too
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=str(screenshot_dir / "detail-zh-hans-800.png"), full_page=True)
