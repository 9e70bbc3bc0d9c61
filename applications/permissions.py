"""Who may do what: the one definition of each role, used by services, selectors, forms and the admin.

A role is a Django permission, never a group name: a user holding the permission directly, through
any group, or as a superuser has the role everywhere at once (the service check, the assignee
choices and the admin's filters all ask the same question).
"""

from django.conf import settings
from django.contrib.auth import get_user_model

from . import role_cache

REVIEW_PERMISSION = "applications.review_application"
# Forcing a fetch from CAMS spends the shared API quota and writes; a plain lookup needs no permission.
REFRESH_PERMISSION = "applications.refresh_application"


def _has(user, permission: str) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.has_perm(permission))


def can_review(user) -> bool:
    """May ``user`` set an application's internal status, assign it and add notes?"""
    return _has(user, REVIEW_PERMISSION)


def can_refresh(user) -> bool:
    """May ``user`` force a refresh from CAMS ("Refresh now", "Queue background refresh", the admin action)?"""
    return _has(user, REFRESH_PERMISSION)


def can_manage_notifications(user) -> bool:
    """May ``user`` create and edit notification rules and channels? Reviewers (superusers included)."""
    return can_review(user)


def reviewers():
    """Active users who ``can_review``, ordered by user name (a queryset; callers slice or cache it).

    ``UserManager.with_perm`` asks the same model backend that ``has_perm`` does, so this list and
    ``can_review`` cannot disagree.
    """
    User = get_user_model()
    # The model backend holds permissions (the login-throttling backend before it holds none).
    return User._default_manager.with_perm(
        REVIEW_PERMISSION, is_active=True, include_superusers=True, backend=settings.AUTHENTICATION_BACKENDS[-1]
    ).order_by(User.USERNAME_FIELD)


def reviewer_choices() -> list[tuple[str, str]]:
    """``(pk, display name)`` pairs for assignee pickers (cached until a user, group or grant changes)."""
    return role_cache.cached(
        "reviewer-choices",
        lambda: [(str(user.pk), user.get_full_name() or user.get_username()) for user in reviewers()],
    )
