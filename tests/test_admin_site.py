"""The admin site builds its list of apps and models only for the pages that show it."""

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils.functional import empty

from config.admin_site import ViberReviewAdminSite
from tests.factories import make_application

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client, make_user):
    client.force_login(make_user("rita", "reviewers", is_staff=True))
    return client


def test_the_site_is_ours_and_its_change_list_never_builds_the_app_list(staff):
    assert isinstance(admin.site, ViberReviewAdminSite)
    make_application()
    response = staff.get(reverse("admin:applications_viberapplication_changelist"))
    assert response.status_code == 200
    assert response.context["available_apps"]._wrapped is empty


def test_the_index_and_an_app_index_still_list_what_the_user_may_see(staff, client, make_user):
    index = staff.get(reverse("admin:index"))
    assert index.status_code == 200
    models = [model["object_name"] for app in index.context["app_list"] for model in app["models"]]
    assert "ViberApplication" in models and "User" not in models  # reviewers may not manage users
    app_index = staff.get(reverse("admin:app_list", args=["applications"]))
    assert app_index.status_code == 200 and b"viberapplication/" in app_index.content
    assert staff.get(reverse("admin:app_list", args=["auth"])).status_code == 404
