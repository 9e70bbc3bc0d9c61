"""Users in the review groups. The groups come from migration 0002_review; tests that flush the
database (transaction=True) lose them, so they are re-created here the same way when missing."""
from django.contrib.auth.models import Group, Permission

PASSWORD = "a long enough test password"
_GROUP_PERMISSIONS = {
    "reviewers": ["view_viberapplication", "view_reviewlogentry", "review_application", "add_bulklookup"],
    "viewers": ["view_viberapplication", "view_reviewlogentry"],
}


def group(name: str) -> Group:
    group, created = Group.objects.get_or_create(name=name)
    if created:
        group.permissions.add(*Permission.objects.filter(content_type__app_label="applications",
                                                         codename__in=_GROUP_PERMISSIONS[name]))
    return group


def make_user(django_user_model, username: str, group_name: str | None, *, password=None, **extra):
    # No password unless asked: hashing one costs a few hundred ms, and force_login needs none.
    user = django_user_model.objects.create_user(username, password=password, **extra)
    if group_name:
        user.groups.add(group(group_name))
    return django_user_model.objects.get(pk=user.pk)  # fresh: no stale permission cache
