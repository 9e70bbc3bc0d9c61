"""Users in each review group, and clients logged in as them (pytest-django's ``admin_user`` and
``admin_client`` are the superuser).

The groups come from migration 0002_review; tests that flush the database (transaction=True)
lose them, so ``make_user`` re-creates a missing group with the migration's permissions.
"""

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client

PASSWORD = "a long enough test password"
_GROUP_PERMISSIONS = {
    "reviewers": [
        "view_viberapplication",
        "view_reviewlogentry",
        "review_application",
        "refresh_application",
        "add_bulklookup",
    ],
    "viewers": ["view_viberapplication", "view_reviewlogentry"],
}


def _group(name: str) -> Group:
    group, created = Group.objects.get_or_create(name=name)
    if created:
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="applications", codename__in=_GROUP_PERMISSIONS[name])
        )
    return group


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # The production hasher costs a few hundred ms per user with a password; tests log in often.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def password() -> str:
    """The password ``make_user(..., password=password)`` sets, for logging in through a form."""
    return PASSWORD


@pytest.fixture
def make_user(db, django_user_model):
    """``make_user(username, group_name=None, **fields)``: a user in "reviewers", "viewers" or no group.

    No password unless asked (``force_login`` needs none). Returned fresh from the database, so
    no permission cache is stale.
    """

    def make(username: str, group_name: str | None = None, *, password=None, **extra):
        user = django_user_model.objects.create_user(username, password=password, **extra)
        if group_name:
            user.groups.add(_group(group_name))
        return django_user_model.objects.get(pk=user.pk)

    return make


@pytest.fixture
def reviewer(make_user):
    return make_user("rita", "reviewers")


@pytest.fixture
def viewer(make_user):
    return make_user("victor", "viewers")


@pytest.fixture
def reviewer_client(reviewer) -> Client:
    client = Client()
    client.force_login(reviewer)
    return client


@pytest.fixture
def logged_in(client, make_user):
    """``client`` signed in as a user in no group: what any signed-in user may see."""
    client.force_login(make_user("member"))
    return client
