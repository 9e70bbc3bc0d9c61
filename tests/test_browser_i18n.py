"""Real Chromium: a reviewer switches to Simplified Chinese through the preferences form; the
header and the login page follow, and Chinese text renders (screenshot in var/screenshots/)."""

from pathlib import Path

import pytest
from django.conf import settings

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def screenshots() -> Path:
    directory = Path(settings.VAR_DIR) / "screenshots"
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def test_a_reviewer_switches_to_simplified_chinese(page, live_server, log_in, reviewer, screenshots):
    log_in(reviewer)
    header = page.locator(".preferences-menu")
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Times in UTC" in header.inner_text()

    header.get_by_role("link", name="Times in UTC").click()
    form = page.locator("#preferences-form")
    form.get_by_label("Language").select_option("zh-hans")
    form.get_by_label("Time zone").select_option("Asia/Shanghai")
    form.get_by_role("button", name="Save").click()

    page.get_by_role("heading", name="语言和时区").wait_for()
    assert "设置已保存。" in page.locator(".messages").inner_text()
    page.goto(f"{live_server.url}/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert "时区：Asia/Shanghai" in header.inner_text()
    assert header.get_by_role("button", name="English").is_visible()
    assert header.locator(".language-current").inner_text() == "简体中文"
    # Chinese glyphs are drawn (a CJK font is installed), not empty boxes of zero width.
    assert header.locator(".language-current").bounding_box()["width"] > 30
    page.screenshot(path=str(screenshots / "viber-review-home-zh-hans.png"), full_page=True)

    page.locator("form[action='/accounts/logout/'] button").click()
    page.get_by_role("heading", name="登录").wait_for()
    assert page.title().startswith("登录")
    assert page.get_by_label("用户名").is_visible() and page.get_by_label("密码").is_visible()
    assert page.get_by_role("button", name="登录").is_visible()
    page.screenshot(path=str(screenshots / "viber-review-login-zh-hans.png"))


def test_a_chinese_browser_gets_the_login_page_in_chinese_and_can_switch_back(page, live_server):
    context = page.context.browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
    try:
        chinese = context.new_page()
        chinese.goto(f"{live_server.url}/accounts/login/")
        assert chinese.get_by_role("heading", level=1).inner_text() == "登录"
        chinese.get_by_role("button", name="English").click()
        chinese.get_by_role("heading", name="Log in").wait_for()
        assert chinese.locator(".language-current").inner_text() == "English"
    finally:
        context.close()


def test_a_chinese_reviewer_sees_the_app_and_the_admin_in_chinese(page, live_server, log_in, make_user, screenshots):
    from applications.services.preferences import user_preferences_set
    from tests.factories import make_application

    staff = make_user("rita", "reviewers", is_staff=True)
    user_preferences_set(user=staff, language="zh-hans")
    make_application(RequestNo="7100000001")
    log_in(staff)

    nav = page.locator(".site-nav")
    for label in ("查询", "审核队列", "批量查询", "管理后台"):
        assert nav.get_by_role("link", name=label, exact=True).is_visible(), label
    assert nav.get_by_role("button", name="退出登录").is_visible()
    assert page.get_by_role("heading", level=1).inner_text() == "查询 Viber 申请"
    assert page.get_by_label("申请编号").is_visible()
    assert page.get_by_role("columnheader", name="审核结果").is_visible()  # the recently fetched table

    nav.get_by_role("link", name="管理后台").click()
    page.goto(f"{live_server.url}/admin/applications/viberapplication/")
    assert page.locator("#site-name").inner_text() == "Viber Review 管理后台"
    # Django's own catalog: "Select %s to view" and the search button.
    assert page.get_by_role("heading", level=1).inner_text().startswith("选择")
    assert page.locator("#changelist-search input[type=submit]").get_attribute("value") == "搜索"
    assert page.locator("label.vr-search-label").inner_text() == "搜索申请"
    headers = page.locator("#result_list thead").inner_text()
    assert "状态" in headers and "审核结果" in headers and "创建时间 (UTC)" in headers
    assert page.get_by_role("link", name="返回应用").is_visible()
    page.screenshot(path=str(screenshots / "viber-review-admin-zh-hans.png"), full_page=True)
