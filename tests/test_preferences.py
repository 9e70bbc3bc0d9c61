"""Each reviewer's language and time zone: how a request's language is chosen, the preferences
page and the header's switcher, times shown in the user's zone, and what it costs per request."""

import os
import subprocess
import sys
from datetime import UTC, datetime

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications.models import UserPreferences, ViberApplication
from applications.services.preferences import user_preferences_set
from tests.factories import make_application

pytestmark = pytest.mark.django_db

LOGIN_URL = reverse("login")
HEALTH_URL = reverse("applications:health")
PREFERENCES_URL = reverse("applications:preferences")
SWITCH_URL = reverse("applications:language-switch")


def heading(response, soup_of, text_of):
    return text_of(soup_of(response).select_one("h1"))


def signed_in(user, **headers) -> Client:
    client = Client(headers=headers)
    client.force_login(user)
    return client


# --- which language -----------------------------------------------------------------------------


def test_without_any_choice_pages_are_in_language_code(client, soup_of, text_of):
    response = client.get(LOGIN_URL)
    assert response["Content-Language"] == "en"
    assert heading(response, soup_of, text_of) == "Log in"
    assert soup_of(response).html["lang"] == "en"


def test_the_browsers_accept_language_chooses_simplified_chinese(soup_of, text_of):
    response = Client(headers={"accept-language": "zh-CN,zh;q=0.9,en;q=0.5"}).get(LOGIN_URL)
    assert response["Content-Language"] == "zh-hans"
    assert heading(response, soup_of, text_of) == "登录"
    page = soup_of(response)
    assert page.html["lang"] == "zh-hans"
    assert text_of(page.select_one("form.stack button[type=submit]")) == "登录"
    assert text_of(page.select_one(".language-switcher button")) == "English"  # each language in its own name
    # Django's own catalog translates the authentication form's labels.
    assert "用户名" in text_of(page.select_one("form.stack"))
    assert "Vary" in response and "Accept-Language" in response["Vary"]


def test_the_default_language_comes_from_the_environment_setting(client, settings, soup_of, text_of):
    settings.LANGUAGE_CODE = "zh-hans"
    assert heading(client.get(LOGIN_URL), soup_of, text_of) == "登录"


def _language_code_setting(tmp_path, value: str) -> subprocess.CompletedProcess:
    env = {key: val for key, val in os.environ.items() if not key.startswith("DJANGO_")}
    return subprocess.run(
        [sys.executable, "-c", "import config.settings as s; print(s.LANGUAGE_CODE)"],
        cwd=django_settings.BASE_DIR,
        env={**env, "VIBER_REVIEW_VAR_DIR": str(tmp_path), "DJANGO_LANGUAGE_CODE": value},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_django_language_code_accepts_only_a_language_of_the_app(tmp_path):
    assert _language_code_setting(tmp_path, "zh-Hans").stdout.strip() == "zh-hans"
    refused = _language_code_setting(tmp_path, "fr")
    assert refused.returncode != 0 and "DJANGO_LANGUAGE_CODE must be one of en, zh-hans" in refused.stderr


def test_a_users_saved_language_wins_over_the_browser(make_user, soup_of, text_of):
    chinese_reader = make_user("li")
    user_preferences_set(user=chinese_reader, language="zh-hans")
    english_reader = make_user("emma")
    user_preferences_set(user=english_reader, language="en")

    chinese = signed_in(chinese_reader, accept_language="en-US").get(PREFERENCES_URL)
    english = signed_in(english_reader, accept_language="zh-CN").get(PREFERENCES_URL)

    assert chinese["Content-Language"] == "zh-hans" and heading(chinese, soup_of, text_of) == "语言和时区"
    assert english["Content-Language"] == "en" and heading(english, soup_of, text_of) == "Language and time zone"


def test_without_a_saved_language_the_browser_decides(make_user):
    response = signed_in(make_user("sam"), accept_language="zh-CN").get(PREFERENCES_URL)
    assert response["Content-Language"] == "zh-hans"


def test_validation_messages_follow_the_language(make_user, soup_of, text_of):
    user = make_user("li")
    user_preferences_set(user=user, language="zh-hans")
    response = signed_in(user).get(reverse("applications:lookup"), {"request_no": "1" * 65})
    assert response.status_code == 400
    assert "申请编号最多 64 个字符（当前为 65 个）。" in text_of(soup_of(response))


def test_the_apis_login_message_follows_the_browser():
    response = Client(headers={"accept-language": "zh-CN"}).get(reverse("applications:api-detail", args=["5435435435"]))
    assert response.status_code == 401
    assert response.json() == {"error": "unauthenticated", "message": "请先登录再使用此 API。"}


# --- the preferences page and the switcher ----------------------------------------------------------


def test_the_preferences_page_saves_language_and_time_zone(make_user, soup_of, text_of):
    user = make_user("li")
    client = signed_in(user)
    form = soup_of(client.get(PREFERENCES_URL)).select_one("#preferences-form")
    assert form.select_one("select[name=language] option[value=zh-hans]").text == "简体中文"
    assert form.select_one("select[name=time_zone] option[value='Asia/Shanghai']") is not None

    response = client.post(PREFERENCES_URL, {"language": "zh-hans", "time_zone": "Asia/Shanghai"}, follow=True)

    assert response.redirect_chain == [(PREFERENCES_URL, 302)]
    saved = UserPreferences.objects.get(user=user)
    assert (saved.language, saved.time_zone) == ("zh-hans", "Asia/Shanghai")
    page = soup_of(response)
    assert "设置已保存。" in text_of(page.select_one(".messages"))
    assert "时区：Asia/Shanghai" in text_of(page.select_one(".preferences-menu"))
    assert response.client.cookies["django_language"].value == "zh-hans"


def test_clearing_the_choices_returns_to_the_browser_and_the_default_zone(make_user):
    user = make_user("li")
    user_preferences_set(user=user, language="zh-hans", time_zone="Asia/Shanghai")
    client = signed_in(user, accept_language="en")
    response = client.post(PREFERENCES_URL, {"language": "", "time_zone": ""})
    assert response.status_code == 302
    assert UserPreferences.objects.filter(user=user, language="", time_zone="").exists()
    assert client.get(PREFERENCES_URL)["Content-Language"] == "en"


@pytest.mark.parametrize(
    "data, field",
    [({"language": "fr", "time_zone": ""}, "language"), ({"language": "", "time_zone": "Mars/Olympus"}, "time_zone")],
)
def test_an_unknown_language_or_zone_is_refused_with_a_message(make_user, soup_of, data, field):
    user = make_user("li")
    response = signed_in(user).post(PREFERENCES_URL, data)
    assert response.status_code == 400
    assert soup_of(response).select_one(f"#id_{field}").find_next("p", class_="field-error") is not None
    assert not UserPreferences.objects.filter(user=user).exists()


def test_the_service_refuses_what_the_form_would(make_user):
    user = make_user("li")
    with pytest.raises(ValidationError):
        user_preferences_set(user=user, language="xx")
    with pytest.raises(ValidationError):
        user_preferences_set(user=user, time_zone="Nowhere/City")
    user_preferences_set(user=user, time_zone="Asia/Shanghai")
    user_preferences_set(user=user, language="ZH-HANS")  # the zone is left as it was
    saved = UserPreferences.objects.get(user=user)
    assert (saved.language, saved.time_zone) == ("zh-hans", "Asia/Shanghai")


def test_the_preferences_page_needs_a_login_and_a_csrf_token(make_user):
    assert Client().get(PREFERENCES_URL).status_code == 302
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user("li"))
    assert client.post(PREFERENCES_URL, {"language": "zh-hans"}).status_code == 403
    assert client.post(SWITCH_URL, {"language": "zh-hans"}).status_code == 403


def test_the_header_switcher_saves_a_users_language_and_goes_back(make_user, soup_of):
    user = make_user("li")
    client = signed_in(user)
    switcher = soup_of(client.get(HEALTH_URL)).select_one(".language-switcher")
    assert switcher["method"] == "post" and switcher["action"] == SWITCH_URL
    assert switcher.select_one("input[name=next]")["value"] == HEALTH_URL
    assert switcher.select_one("button[value=zh-hans]").text.strip() == "简体中文"

    response = client.post(SWITCH_URL, {"language": "zh-hans", "next": HEALTH_URL})

    assert response.status_code == 302 and response["Location"] == HEALTH_URL
    assert UserPreferences.objects.get(user=user).language == "zh-hans"
    assert client.get(HEALTH_URL)["Content-Language"] == "zh-hans"


def test_an_anonymous_visitor_switches_with_the_cookie_only(client, soup_of, text_of):
    response = client.post(SWITCH_URL, {"language": "zh-hans", "next": LOGIN_URL})
    assert response.status_code == 302 and response["Location"] == LOGIN_URL
    assert not UserPreferences.objects.exists()
    assert heading(client.get(LOGIN_URL, headers={"accept-language": "en"}), soup_of, text_of) == "登录"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", ""])
def test_the_switcher_never_redirects_off_site(client, target):
    response = client.post(SWITCH_URL, {"language": "en", "next": target})
    assert response.status_code == 302 and response["Location"] == reverse("applications:home")


def test_the_switcher_refuses_an_unknown_language_clearly(logged_in, soup_of, text_of):
    response = logged_in.post(SWITCH_URL, {"language": "tlh", "next": HEALTH_URL}, follow=True)
    assert response.redirect_chain == [(HEALTH_URL, 302)]
    assert "That language is not available." in text_of(soup_of(response).select_one(".messages"))
    assert not UserPreferences.objects.exists()


# --- time zones -------------------------------------------------------------------------------------


def test_the_same_stored_time_is_shown_in_each_users_zone(make_user, soup_of):
    """2025-01-02 03:04:05 UTC is 11:04:05 in Shanghai: the health page's "due" time, for two users."""
    stored = datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)
    application = make_application()
    ViberApplication.objects.filter(pk=application.pk).update(next_refresh_at=stored)
    in_shanghai, in_utc = make_user("li"), make_user("emma")
    user_preferences_set(user=in_shanghai, time_zone="Asia/Shanghai")
    user_preferences_set(user=in_utc, time_zone="UTC")

    def shown(user) -> dict[str, str]:
        page = soup_of(signed_in(user).get(HEALTH_URL))
        return {time["datetime"]: time.get_text(strip=True) for time in page.select("time[datetime^='2025-01-02']")}

    assert shown(in_shanghai) == {"2025-01-02T11:04:05+08:00": "2025-01-02 11:04:05 CST"}
    assert shown(in_utc) == {"2025-01-02T03:04:05+00:00": "2025-01-02 03:04:05 UTC"}
    assert ViberApplication.objects.get(pk=application.pk).next_refresh_at == stored  # stored once, in UTC


def test_without_a_zone_times_use_django_time_zone(make_user, settings, soup_of):
    settings.TIME_ZONE = "Asia/Shanghai"
    make_application()
    ViberApplication.objects.update(next_refresh_at=datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC))
    page = soup_of(signed_in(make_user("sam")).get(HEALTH_URL))
    assert page.select_one("time[datetime^='2025-01-02']")["datetime"] == "2025-01-02T11:04:05+08:00"


def test_a_users_zone_does_not_leak_into_the_next_request(make_user, client, soup_of):
    user = make_user("li")
    user_preferences_set(user=user, language="zh-hans", time_zone="Asia/Shanghai")
    signed_in(user).get(HEALTH_URL)
    response = client.get(LOGIN_URL)
    assert response["Content-Language"] == "en"
    assert "时区" not in response.content.decode()


# --- cost -------------------------------------------------------------------------------------------


def test_preferences_are_read_with_the_user_row_and_cost_no_query_of_their_own(make_user):
    with_preferences, without = make_user("li"), make_user("emma")
    user_preferences_set(user=with_preferences, language="zh-hans", time_zone="Asia/Shanghai")

    def queries(user) -> list[str]:
        client = signed_in(user)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(HEALTH_URL).status_code == 200
        return [query["sql"] for query in captured.captured_queries]

    mine, theirs = queries(with_preferences), queries(without)
    assert len(mine) == len(theirs)
    touching = [sql for sql in mine if "applications_userpreferences" in sql]
    assert len(touching) == 1 and '"auth_user"' in touching[0]
