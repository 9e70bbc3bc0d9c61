"""The HTML pages: login, lookup form, application page (every field, escaped), refresh, errors.

Most tests store the API document's example with tests.factories.make_application and need no
CAMS. Failure paths use a closed local port (a real connection refusal); the not-found path
needs the simulator through the ``live_cams`` fixture (marked with usefixtures("live_cams")).
"""

import json

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from applications.cams.parsing import LIST_FIELDS, flatten_string_list
from applications.templatetags.application_extras import http_url_or_empty
from tests.factories import example_body, make_application

EXAMPLE_NO = "5435435435"
HOSTILE = "<script>alert(1)</script>"
JS_URL = "javascript:alert(1)"


def example_leaves():
    """Every leaf value of the example's Data, as the page should show it (list fields flattened)."""
    data = example_body()["Data"]
    for key, value in data.items():
        if key != "AuditRecord":
            yield key, str(value).strip()
    for key, value in data["AuditRecord"].items():
        if key in LIST_FIELDS:
            for element in flatten_string_list(value):
                yield key, element
        elif isinstance(value, list):
            for row in value:
                for column, cell in row.items():
                    yield f"{key}.{column}", str(cell).strip()
        else:
            yield key, str(value).strip()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        reverse("applications:home"),
        reverse("applications:lookup") + f"?request_no={EXAMPLE_NO}",
        reverse("applications:detail", args=[EXAMPLE_NO]),
    ],
)
def test_every_page_redirects_anonymous_visitors_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_refresh_redirects_anonymous_visitors_to_login(client):
    response = client.post(reverse("applications:refresh", args=[EXAMPLE_NO]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_home_shows_the_form_recent_applications_and_a_logout_form(logged_in, soup_of, text_of):
    make_application()
    page = soup_of(logged_in.get(reverse("applications:home")))
    assert page.select_one("label[for=id_request_no]")
    assert page.select_one("form[action='/lookup/'][method=get] input[name=request_no]")
    assert EXAMPLE_NO in text_of(page.select_one("table"))
    assert page.select_one(f"form[action='{reverse('logout')}'][method=post]")
    assert "member" in text_of(page.select_one("nav"))


@pytest.mark.django_db
def test_home_offers_the_configured_sample_numbers(logged_in, settings):
    settings.CAMS_SAMPLE_REQUEST_NOS = [EXAMPLE_NO]
    assert f"?request_no={EXAMPLE_NO}" in logged_in.get(reverse("applications:home")).content.decode()
    settings.CAMS_SAMPLE_REQUEST_NOS = []
    assert "?request_no=" not in logged_in.get(reverse("applications:home")).content.decode()


@pytest.mark.django_db
def test_the_customer_space_field_appears_only_when_spaces_are_configured(logged_in, settings, soup_of):
    settings.CAMS_CUST_SPACE_IDS = []
    assert not soup_of(logged_in.get(reverse("applications:home"))).select("input[name=cust_space_id]")
    settings.CAMS_CUST_SPACE_IDS = ["28251486512358"]
    page = soup_of(logged_in.get(reverse("applications:home")))
    assert page.select_one("label[for=id_cust_space_id]")
    assert page.select_one("datalist option[value='28251486512358']")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "request_no, message",
    [
        ("", "Enter a request number."),
        ("1" * 65, "at most 64 characters"),
        ("<bad>", "may contain only letters, digits"),
    ],
)
def test_an_invalid_request_number_is_refused_with_a_message(logged_in, request_no, message, soup_of, text_of):
    response = logged_in.get(reverse("applications:lookup"), {"request_no": request_no})
    assert response.status_code == 400
    page = soup_of(response)
    assert message in text_of(page.select_one(".field-error"))
    assert page.select_one("input#id_request_no[aria-invalid=true]")
    assert "<bad>" not in response.content.decode()


@pytest.mark.django_db
def test_an_invalid_request_number_in_the_page_address_is_a_400(logged_in):
    assert logged_in.get(reverse("applications:detail", args=["a" * 65])).status_code == 400


@pytest.mark.django_db
def test_lookup_of_a_fresh_stored_application_redirects_to_its_page(logged_in):
    make_application()
    response = logged_in.get(reverse("applications:lookup"), {"request_no": EXAMPLE_NO})
    assert response.status_code == 302
    assert response["Location"] == reverse("applications:detail", args=[EXAMPLE_NO])


@pytest.mark.django_db
def test_lookup_keeps_the_customer_space_in_the_redirect(logged_in):
    make_application(cust_space_id="28251486512358")
    response = logged_in.get(
        reverse("applications:lookup"), {"request_no": EXAMPLE_NO, "cust_space_id": "28251486512358"}
    )
    assert response["Location"] == reverse("applications:detail", args=[EXAMPLE_NO]) + "?cust_space_id=28251486512358"


@pytest.mark.django_db
def test_the_page_shows_every_value_of_the_documents_example(logged_in, soup_of, text_of):
    make_application()
    response = logged_in.get(reverse("applications:detail", args=[EXAMPLE_NO]))
    assert response.status_code == 200
    page = soup_of(response)
    sections = text_of(page.select_one(".sections"))
    missing = [(key, value) for key, value in example_leaves() if value and value not in sections]
    assert not missing
    # Parsed values sit beside the raw ones.
    assert "2025-07-23 02:07 UTC" in sections  # GmtCreate 1753236426000
    assert "Albania" in sections and "Spain" in sections
    assert "Active" in sections and "Approved" in sections
    # The envelope (Code, Message, RequestId...) is in the fetch section.
    fetch = text_of(page.select_one("#fetch"))
    for key, value in example_body().items():
        if key != "Data":
            assert json.dumps(value).strip('"').replace("\\n", "").strip() in fetch, key


@pytest.mark.django_db
def test_the_raw_json_block_is_the_stored_body_pretty_printed(logged_in, soup_of):
    make_application()
    page = soup_of(logged_in.get(reverse("applications:detail", args=[EXAMPLE_NO])))
    # Compared as data: PostgreSQL's jsonb does not keep the order of object keys.
    assert json.loads(page.select_one("#raw-json").get_text()) == example_body()


@pytest.mark.django_db
def test_unknown_fields_are_shown_in_the_other_fields_table(logged_in, soup_of, text_of):
    make_application(NewTopLevelField="top-value", audit_record={"BrandNewField": "record-value"})
    extra = text_of(soup_of(logged_in.get(reverse("applications:detail", args=[EXAMPLE_NO]))).select_one("#extra"))
    assert "NewTopLevelField" in extra and "top-value" in extra
    assert "AuditRecord.BrandNewField" in extra and "record-value" in extra


@pytest.mark.django_db
def test_an_implausible_audit_time_is_shown_as_sent(logged_in, soup_of, text_of):
    make_application()  # the example's AuditTime "1785465" is 00:29 on 1 Jan 1970 as epoch-ms
    status = text_of(soup_of(logged_in.get(reverse("applications:detail", args=[EXAMPLE_NO]))).select_one("#status"))
    assert "1785465 (not a plausible time, shown as sent)" in status


@pytest.mark.django_db
def test_it_escapes_a_hostile_company_name(logged_in):
    make_application(audit_record={"CompanyLegalName": HOSTILE, "CompanyEnglishName": HOSTILE, "ReplyContent": HOSTILE})
    html = logged_in.get(reverse("applications:detail", args=[EXAMPLE_NO])).content.decode()
    assert HOSTILE not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.django_db
def test_it_never_links_or_loads_a_javascript_url(logged_in, soup_of, text_of):
    make_application(
        audit_record={
            "WebAddress": JS_URL,
            "LetterGuarantee": JS_URL,
            "OtherLetterGuarantee": " JaVaScRiPt:alert(1)",
            "Logo": [json.dumps([JS_URL, "https://cdn.example/logo.png"])],
        }
    )
    page = soup_of(logged_in.get(reverse("applications:detail", args=[EXAMPLE_NO])))
    hrefs = [a["href"] for a in page.select("a[href]")]
    assert not [href for href in hrefs if "javascript" in href.lower()]
    assert [img["src"] for img in page.select("img")] == ["https://cdn.example/logo.png"]
    assert JS_URL in text_of(page.select_one("#documents"))  # still shown, as text


@pytest.mark.parametrize(
    "value, allowed",
    [
        ("https://example.com/a?b=1", True),
        ("HTTP://EXAMPLE.COM", True),
        ("javascript:alert(1)", False),
        (" JaVaScRiPt:alert(1)", False),
        ("java\tscript:alert(1)", False),
        ("data:text/html,<b>x</b>", False),
        ("//evil.example/x", False),
        ("https:///no-host", False),
        ("http://a b.example", False),
        ("/relative/path", False),
        ("http://[::1", False),
        (None, False),
    ],
)
def test_only_absolute_http_urls_may_become_links(value, allowed):
    assert bool(http_url_or_empty(value)) is allowed


@pytest.mark.django_db
def test_external_links_open_without_opener_or_referrer(logged_in, soup_of):
    make_application()
    page = soup_of(logged_in.get(reverse("applications:detail", args=[EXAMPLE_NO])))
    external = [a for a in page.select("a[href]") if a["href"].startswith("http")]
    assert {a["href"] for a in external} >= {"https://xxxxxxxxxx", "https://wwwxxxx", "https://xxxxxx", "http://xxx"}
    for a in external:
        assert set(a["rel"]) == {"noopener", "noreferrer"} and a["target"] == "_blank"
    for img in page.select("img"):
        assert img["referrerpolicy"] == "no-referrer" and img["loading"] == "lazy" and img["alt"]


@pytest.mark.django_db
def test_the_page_lists_snapshots_and_state_changes(logged_in, soup_of, text_of):
    make_application(State="I", AuditResult="auditing")
    make_application()
    history = text_of(soup_of(logged_in.get(reverse("applications:detail", args=[EXAMPLE_NO]))).select_one("#fetch"))
    assert "Under audit" in history and "In review" in history  # the first snapshot
    assert "auditing" in history and "pass" in history  # the event


@pytest.mark.django_db
def test_refresh_is_refused_without_a_csrf_token(make_user):
    make_application()
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user("member"))
    response = client.post(reverse("applications:refresh", args=[EXAMPLE_NO]))
    assert response.status_code == 403
    assert "This form has expired" in response.content.decode()


@pytest.mark.django_db
def test_an_unknown_address_gets_the_friendly_404_page(logged_in, soup_of, text_of):
    response = logged_in.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in text_of(soup_of(response).select_one("h1"))


def test_the_500_page_renders_without_a_request():
    assert "Something went wrong" in render_to_string("500.html")


@pytest.mark.django_db
def test_refresh_is_a_post_only_action(reviewer_client):
    make_application()
    assert reviewer_client.get(reverse("applications:refresh", args=[EXAMPLE_NO])).status_code == 405


@pytest.mark.django_db
def test_a_stored_copy_is_shown_with_a_banner_when_cams_is_unreachable(logged_in, cams_unreachable, soup_of, text_of):
    make_application()
    response = logged_in.get(reverse("applications:detail", args=[EXAMPLE_NO]))
    assert response.status_code == 200
    banner = text_of(soup_of(response).select_one("#stale-banner"))
    assert "Showing the copy stored at" in banner and "because CAMS failed" in banner
    assert "Could not connect to CAMS" in banner and "ConnectionError" in banner


@pytest.mark.django_db
def test_a_failed_refresh_says_so_and_shows_the_stored_copy(reviewer_client, cams_unreachable, soup_of, text_of):
    make_application()
    response = reviewer_client.post(reverse("applications:refresh", args=[EXAMPLE_NO]), follow=True)
    assert response.redirect_chain == [(reverse("applications:detail", args=[EXAMPLE_NO]), 302)]
    page = soup_of(response)
    assert "Refresh failed" in text_of(page.select_one(".messages"))
    assert page.select_one("#stale-banner")
    assert "xxxxxxcompany" in text_of(page.select_one("#company"))


@pytest.mark.django_db
def test_unreachable_cams_with_nothing_stored_is_a_503_page_with_the_form(
    logged_in, cams_unreachable, soup_of, text_of
):
    response = logged_in.get(reverse("applications:lookup"), {"request_no": "1234500001"})
    assert response.status_code == 503
    page = soup_of(response)
    assert "CAMS is unavailable" in text_of(page.select_one("h1"))
    assert "ConnectionError" in text_of(page.select_one(".error-facts"))
    assert page.select_one("input#id_request_no")["value"] == "1234500001"


@pytest.mark.django_db
@pytest.mark.usefixtures("live_cams")
def test_an_unknown_request_number_is_a_404_page_naming_the_failure(logged_in, soup_of, text_of):
    response = logged_in.get(reverse("applications:lookup"), {"request_no": "0000000404"})
    assert response.status_code == 404
    page = soup_of(response)
    assert "No application with request number 0000000404" in text_of(page.select_one("h1"))
    assert "CAMS has no application with request number 0000000404 in the default customer space." in text_of(
        page.select_one("#not-found")
    )
    assert "failed" not in text_of(page) and "Error code" not in text_of(page)
    assert page.select_one("input#id_request_no")


@pytest.mark.django_db
@pytest.mark.usefixtures("live_cams")
def test_a_lookup_through_cams_stores_and_shows_the_application(logged_in, soup_of, text_of):
    response = logged_in.get(reverse("applications:lookup"), {"request_no": EXAMPLE_NO}, follow=True)
    assert response.redirect_chain[-1] == (reverse("applications:detail", args=[EXAMPLE_NO]), 302)
    page = soup_of(response)
    assert "xxxxxxcompany" in text_of(page.select_one("#company"))
    assert "Fetched from CAMS just now" in text_of(page.select_one("#fetch"))


@pytest.mark.django_db
def test_a_throttled_lookup_with_nothing_stored_is_a_429_page(logged_in, live_cams, soup_of, text_of):
    live_cams.set_faults(throttle_rate=1.0)
    response = logged_in.get(reverse("applications:lookup"), {"request_no": EXAMPLE_NO})
    assert response.status_code == 429
    facts = text_of(soup_of(response).select_one(".error-facts"))
    assert "Throttling" in facts and "quote it if you contact Alibaba Cloud support" in facts


@pytest.mark.django_db
def test_a_throttled_refresh_keeps_showing_the_stored_copy(reviewer_client, live_cams, soup_of, text_of):
    make_application()
    live_cams.set_faults(throttle_rate=1.0)
    response = reviewer_client.post(reverse("applications:refresh", args=[EXAMPLE_NO]), follow=True)
    assert response.status_code == 200
    banner = text_of(soup_of(response).select_one("#stale-banner"))
    assert "CAMS is throttling our requests" in banner and "RequestId" in banner


@pytest.mark.django_db
def test_a_failed_lookup_calls_cams_once_even_though_the_page_redirects(logged_in, live_cams, settings, soup_of):
    settings.CAMS_FRESH_SECONDS = 0  # the stored copy is always stale, so every view would ask
    make_application()
    live_cams.set_faults(throttle_rate=1.0)
    response = logged_in.get(reverse("applications:lookup"), {"request_no": EXAMPLE_NO}, follow=True)
    assert soup_of(response).select_one("#stale-banner")
    assert live_cams.stats()["calls"] == 1
    # A later visit is a new look: it asks CAMS again.
    logged_in.get(reverse("applications:detail", args=[EXAMPLE_NO]))
    assert live_cams.stats()["calls"] == 2
