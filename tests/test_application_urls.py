"""An application's address keeps its customer space wherever it is linked from.

One rule (``ViberApplication.get_absolute_url`` and the ``application_url`` tag): the request
number in the path, a customer space other than the default one as ``?cust_space_id=``.
"""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone

from applications.models import BulkLookup, BulkLookupItem, ViberApplication
from tests.factories import make_application

pytestmark = pytest.mark.django_db

SPACE = "space-7"
NUMBER = "7700000001"


@pytest.fixture
def spaced():
    """An application in a customer space, overdue for refresh, whose last fetch failed."""
    application = make_application(RequestNo=NUMBER, cust_space_id=SPACE)
    now = timezone.now()
    ViberApplication.objects.filter(pk=application.pk).update(
        next_refresh_at=now - timedelta(minutes=5), last_error_at=now, last_error_kind="throttled"
    )
    application.refresh_from_db()
    return application


def page_url(view="detail"):
    return reverse(f"applications:{view}", args=[NUMBER]) + f"?cust_space_id={SPACE}"


def links_to(response, url):
    page = BeautifulSoup(response.content.decode(), "html.parser")
    return [a for a in page.select("a[href]") if a["href"] == url]


def test_the_address_carries_the_space_only_when_there_is_one():
    assert make_application(RequestNo="7700000002").get_absolute_url() == reverse(
        "applications:detail", args=["7700000002"]
    )
    assert make_application(RequestNo=NUMBER, cust_space_id=SPACE).get_absolute_url() == page_url()


def test_the_tag_builds_the_other_views_of_an_application(spaced):
    template = Template(
        '{% load application_urls %}{% application_url app "refresh" %} '
        '{% application_url app "api-detail" %} {% application_url app %}'
    )
    assert template.render(Context({"app": spaced})).split() == [
        page_url("refresh"),
        page_url("api-detail"),
        page_url("detail"),
    ]


@pytest.mark.parametrize("view", ["home", "queue", "health"])
def test_lists_link_to_the_application_in_its_space(admin_client, spaced, view):
    assert links_to(admin_client.get(reverse(f"applications:{view}")), page_url())


def test_bulk_results_link_to_the_application_in_its_space(admin_client, spaced):
    bulk = BulkLookup.objects.create(total=1, cust_space_id=SPACE, status=BulkLookup.Status.DONE)
    BulkLookupItem.objects.create(
        bulk=bulk, position=0, request_no=NUMBER, application=spaced, outcome=BulkLookupItem.Outcome.FOUND
    )
    assert links_to(admin_client.get(reverse("applications:bulk-detail", args=[bulk.pk])), page_url())


def test_the_refresh_buttons_post_to_the_application_in_its_space(admin_client, spaced):
    page = BeautifulSoup(admin_client.get(page_url()).content.decode(), "html.parser")
    form = page.select_one("form.refresh-form")
    assert form["action"] == page_url("refresh")
    assert form.select_one("button[formaction]")["formaction"] == page_url("refresh-background")


def test_actions_come_back_to_the_application_in_its_space(admin_client, spaced):
    response = admin_client.post(page_url("refresh-background"))
    assert response["Location"] == page_url()
    response = admin_client.post(reverse("applications:review-note", args=[spaced.pk]), {"note": "checked"})
    assert response["Location"] == page_url() + "#review"


def test_the_admin_offers_the_application_page_in_its_space(admin_client, spaced):
    response = admin_client.get(reverse("admin:applications_viberapplication_change", args=[spaced.pk]))
    assert links_to(response, page_url())
