"""Customer spaces: with CAMS_CUST_SPACE_IDS set, no other space reaches CAMS or the database; with no
space chosen, CAMS_DEFAULT_CUST_SPACE_ID is asked."""

import random
import string

import pytest
from django.core.cache import cache
from django.urls import reverse

from applications.models import ViberApplication
from applications.sandbox.dataset import CUST_SPACE_IDS, EXAMPLE_REQUEST_NO, SPACE_REQUEST_NO


def _hostile_spaces(count: int) -> list[str]:
    rng = random.Random(458)
    alphabet = string.ascii_letters + string.digits + "-_."
    spaces = {"".join(rng.choice(alphabet) for _ in range(rng.randint(1, 64))) for _ in range(count)}
    spaces |= {CUST_SPACE_IDS[1], CUST_SPACE_IDS[0] + "0", CUST_SPACE_IDS[0].upper() + "x", "0", "default"}
    return sorted(space for space in spaces if space != CUST_SPACE_IDS[0])


@pytest.mark.django_db
def test_a_fuzz_over_other_customer_spaces_stores_nothing_and_calls_cams_never(admin_client, live_cams, settings):
    settings.CAMS_CUST_SPACE_IDS = [CUST_SPACE_IDS[0]]
    calls_before = live_cams.stats()
    statuses = set()
    for space in _hostile_spaces(150):
        for response in (
            admin_client.get(reverse("applications:lookup"), {"request_no": SPACE_REQUEST_NO, "cust_space_id": space}),
            admin_client.get(reverse("applications:detail", args=[SPACE_REQUEST_NO]), {"cust_space_id": space}),
            admin_client.get(reverse("applications:api-detail", args=[SPACE_REQUEST_NO]), {"cust_space_id": space}),
            admin_client.post(f"{reverse('applications:refresh', args=[SPACE_REQUEST_NO])}?cust_space_id={space}"),
        ):
            statuses.add(response.status_code)
    assert statuses == {400}
    assert not ViberApplication.objects.exists()
    assert live_cams.stats() == calls_before


@pytest.mark.django_db
def test_the_refusal_says_why_on_pages_and_in_the_api(admin_client, live_cams, settings):
    settings.CAMS_CUST_SPACE_IDS = [CUST_SPACE_IDS[0]]
    api = admin_client.get(reverse("applications:api-detail", args=[SPACE_REQUEST_NO]), {"cust_space_id": "other"})
    assert api.status_code == 400 and "not one this site works with" in api.json()["message"]
    page = admin_client.get(reverse("applications:detail", args=[SPACE_REQUEST_NO]), {"cust_space_id": "other"})
    assert page.status_code == 400 and "not one this site works with" in page.content.decode()


@pytest.mark.django_db
def test_a_configured_space_and_the_default_space_are_accepted(admin_client, live_cams, settings):
    settings.CAMS_CUST_SPACE_IDS = [CUST_SPACE_IDS[0]]
    response = admin_client.get(
        reverse("applications:api-detail", args=[SPACE_REQUEST_NO]), {"cust_space_id": CUST_SPACE_IDS[0]}
    )
    assert response.status_code == 200 and response.json()["cust_space_id"] == CUST_SPACE_IDS[0]
    assert admin_client.get(reverse("applications:api-detail", args=[EXAMPLE_REQUEST_NO])).status_code == 200


@pytest.mark.django_db
def test_without_a_chosen_space_the_default_space_is_asked(admin_client, live_cams, settings):
    url = reverse("applications:api-detail", args=[SPACE_REQUEST_NO])
    # The simulator holds this record only in its customer space: without a default it is not found.
    assert admin_client.get(url).status_code == 404
    settings.CAMS_DEFAULT_CUST_SPACE_ID = CUST_SPACE_IDS[0]
    settings.CAMS_NOT_FOUND_TTL_SECONDS = 0
    cache.clear()  # the earlier "not found" is remembered briefly
    response = admin_client.get(url)
    assert response.status_code == 200 and response.json()["source"] == "upstream"
    assert response.json()["request_no"] == SPACE_REQUEST_NO
    # A forced refresh of that stored row asks the same default space, and CAMS finds it again.
    refreshed = admin_client.post(reverse("applications:refresh", args=[SPACE_REQUEST_NO]), follow=True)
    assert "Fetched a fresh copy from CAMS" in refreshed.content.decode()
