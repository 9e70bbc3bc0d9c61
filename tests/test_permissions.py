"""One reviewer rule everywhere: the service's check, both assignee pickers and the admin's assignee filter.

Each kind of user below is asked the same question in four places (assigning through the
service, the application page's AssignForm, the queue filter's assignee choices, the admin
changelist's AssigneeFilter); the answers must agree, and match the expected role.
"""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse

from applications.admin.filters import AssigneeFilter
from applications.forms.queue import QueueFilterForm
from applications.forms.review import AssignForm
from applications.models import UserPreferences
from applications.permissions import can_review
from applications.services.review import review_assign
from tests.factories import make_application

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:applications_viberapplication_changelist")


def _direct_permission(make_user):
    user = make_user("dora")
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="applications", codename="review_application")
    )
    return type(user).objects.get(pk=user.pk)  # fresh: no stale permission cache


USERS = {
    "direct permission, no group": (_direct_permission, True),
    "reviewers group": (lambda make_user: make_user("rita", "reviewers"), True),
    "superuser, no group": (lambda make_user: make_user("sam", is_superuser=True), True),
    "viewers group": (lambda make_user: make_user("victor", "viewers"), False),
    "inactive, reviewers group": (lambda make_user: make_user("ivan", "reviewers", is_active=False), False),
}


def _assignable_by_service(user, actor) -> bool:
    application = make_application()
    try:
        review_assign(application=application, assignee=user, actor=actor)
    except ValidationError as exc:
        assert exc.code == "assignee_not_reviewer"
        return False
    application.refresh_from_db()
    assert application.assignee == user
    return True


def _pks(choices) -> set[str]:
    return {str(value) for value, _ in choices}


def _admin_filter_choices(admin_client) -> set[str]:
    specs = admin_client.get(CHANGELIST).context["cl"].filter_specs
    (assignee,) = [spec for spec in specs if isinstance(spec, AssigneeFilter)]
    return _pks(assignee.lookup_choices)


@pytest.mark.parametrize("kind", USERS)
def test_the_reviewer_rule_is_the_same_in_the_service_the_pickers_and_the_admin(
    kind, make_user, admin_client, admin_user
):
    build, is_reviewer = USERS[kind]
    user = build(make_user)
    pk = str(user.pk)
    answers = {
        "can_review": can_review(user),
        "service": _assignable_by_service(user, actor=admin_user),
        "AssignForm": pk in _pks(AssignForm().fields["assignee"].choices),
        "queue filter": pk in _pks(QueueFilterForm().fields["assignee"].choices),
        "admin AssigneeFilter": pk in _admin_filter_choices(admin_client),
    }
    assert answers == dict.fromkeys(answers, is_reviewer)


def test_a_user_with_only_the_direct_permission_is_assigned_through_the_review_page(make_user, reviewer_client):
    dora = _direct_permission(make_user)
    application = make_application()
    response = reviewer_client.post(
        reverse("applications:review-assign", args=[application.pk]), {"assignee": str(dora.pk)}
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.assignee == dora


@pytest.mark.parametrize("change", ["leave the group", "group loses the permission", "deactivated"])
def test_a_revoked_role_ends_at_the_next_request_though_roles_are_cached(make_user, change, redis_settings):
    user = make_user("rhea", "reviewers")
    client = Client()
    client.force_login(user)
    application = make_application()
    page = reverse("applications:detail", args=[application.request_no])
    assert 'id="assign-form"' in client.get(page).content.decode()  # the role is now cached
    assert "rhea" in [name for _, name in AssignForm().fields["assignee"].choices]
    group = Group.objects.get(name="reviewers")
    if change == "leave the group":
        user.groups.remove(group)
    elif change == "group loses the permission":
        group.permissions.remove(Permission.objects.get(codename="review_application"))
    else:
        user.is_active = False
        user.save()
    with transaction.atomic():  # the admin's edits run in a transaction: the commit counts too
        pass
    response = client.get(page)
    assert 'id="assign-form"' not in response.content.decode()
    assert "rhea" not in [name for _, name in AssignForm().fields["assignee"].choices]


def test_a_granted_role_shows_at_the_next_request(make_user, redis_settings):
    user = make_user("gus")
    client = Client()
    client.force_login(user)
    application = make_application()
    page = reverse("applications:detail", args=[application.request_no])
    assert 'id="assign-form"' not in client.get(page).content.decode()
    assert "gus" not in [name for _, name in AssignForm().fields["assignee"].choices]
    user.user_permissions.add(Permission.objects.get(codename="review_application"))
    assert 'id="assign-form"' in client.get(page).content.decode()
    assert "gus" in [name for _, name in AssignForm().fields["assignee"].choices]


def test_a_cached_user_signs_out_everywhere_when_the_password_changes(make_user, redis_settings):
    user = make_user("pat")
    client = Client()
    client.force_login(user)
    page = reverse("applications:home")
    assert client.get(page).status_code == 200  # the user is now cached
    user.set_password("a new and long passphrase")
    user.save()
    response = client.get(page)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_saved_language_is_used_at_once_though_the_user_is_cached(make_user, redis_settings):
    user = make_user("lin")
    client = Client()
    client.force_login(user)
    page = reverse("applications:home")
    assert client.get(page)["Content-Language"] == "en"
    UserPreferences.objects.update_or_create(user=user, defaults={"language": "zh-hans"})
    assert client.get(page)["Content-Language"] == "zh-hans"


def test_users_and_grants_can_still_be_saved_while_the_cache_is_down(make_user):
    user = make_user("dana", "reviewers")
    closed_port = {"default": {"BACKEND": "config.cache.ReusedClientRedisCache", "LOCATION": "redis://127.0.0.1:9/0"}}
    with override_settings(CACHES=closed_port):  # every cache call is refused at once
        user.is_active = False
        user.save()
        user.groups.clear()
    assert not type(user).objects.get(pk=user.pk).is_active
    assert not user.groups.exists()
