"""Internal review: statuses, assignment, notes, permissions and the append-only log."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from applications.models import ReviewLogEntry, ReviewStatus
from applications.services.review import review_add_note, review_assign, review_set_status
from tests.factories import make_application

pytestmark = pytest.mark.django_db


def test_the_migration_creates_both_groups_with_their_permissions():
    from django.contrib.auth.models import Group

    reviewers = set(Group.objects.get(name="reviewers").permissions.values_list("codename", flat=True))
    viewers = set(Group.objects.get(name="viewers").permissions.values_list("codename", flat=True))
    assert {"review_application", "view_viberapplication", "view_reviewlogentry"} <= reviewers
    assert "view_viberapplication" in viewers and "review_application" not in viewers


def test_a_reviewer_sets_a_status_and_the_log_records_before_and_after(reviewer):
    application = make_application()
    entry = review_set_status(application=application, status=ReviewStatus.ACKNOWLEDGED, actor=reviewer)
    application.refresh_from_db()
    assert application.review_status == "acknowledged"
    assert (entry.actor, entry.actor_name, entry.action, entry.before, entry.after) == (
        reviewer,
        "rita",
        "status",
        "new",
        "acknowledged",
    )
    assert entry.at is not None


def test_setting_the_same_status_again_logs_nothing(reviewer):
    application = make_application()
    review_set_status(application=application, status="escalated", actor=reviewer)
    assert review_set_status(application=application, status="escalated", actor=reviewer) is None
    assert ReviewLogEntry.objects.count() == 1


def test_a_viewer_cannot_change_anything(viewer, reviewer):
    application = make_application()
    with pytest.raises(PermissionDenied):
        review_set_status(application=application, status="resolved", actor=viewer)
    with pytest.raises(PermissionDenied):
        review_assign(application=application, assignee=reviewer, actor=viewer)
    with pytest.raises(PermissionDenied):
        review_add_note(application=application, actor=viewer, note="hello")
    assert ReviewLogEntry.objects.count() == 0


def test_resolving_a_rejected_application_needs_a_note(reviewer):
    application = make_application(AuditResult="reject")
    with pytest.raises(ValidationError):
        review_set_status(application=application, status="resolved", actor=reviewer)
    entry = review_set_status(
        application=application,
        status="resolved",
        actor=reviewer,
        note="Customer confirmed they will reapply next quarter",
    )
    assert entry.note.startswith("Customer confirmed")
    approved = make_application(RequestNo="777", AuditResult="pass")
    assert review_set_status(application=approved, status="resolved", actor=reviewer) is not None


def test_an_unknown_status_is_refused(reviewer):
    with pytest.raises(ValidationError):
        review_set_status(application=make_application(), status="done-ish", actor=reviewer)


def test_assignment_goes_to_reviewers_only_and_is_logged(reviewer, viewer, make_user):
    colleague = make_user("carla", "reviewers")
    application = make_application()
    with pytest.raises(ValidationError):
        review_assign(application=application, assignee=viewer, actor=reviewer)
    review_assign(application=application, assignee=reviewer, actor=reviewer)
    entry = review_assign(application=application, assignee=colleague, actor=reviewer)
    assert (entry.before, entry.after) == ("rita", "carla")
    entry = review_assign(application=application, assignee=None, actor=reviewer)
    assert (entry.before, entry.after) == ("carla", "")
    application.refresh_from_db()
    assert application.assignee is None


def test_notes_are_appended_and_empty_notes_refused(reviewer):
    application = make_application()
    with pytest.raises(ValidationError):
        review_add_note(application=application, actor=reviewer, note="   ")
    review_add_note(application=application, actor=reviewer, note="Called the customer")
    review_add_note(application=application, actor=reviewer, note="They resubmit tomorrow")
    assert list(application.review_log.values_list("note", flat=True)) == [
        "They resubmit tomorrow",
        "Called the customer",
    ]


def test_the_log_cannot_be_edited_or_deleted(reviewer):
    application = make_application()
    entry = review_add_note(application=application, actor=reviewer, note="original")
    entry.note = "rewritten"
    with pytest.raises(PermissionDenied):
        entry.save()
    with pytest.raises(PermissionDenied):
        entry.delete()
    with pytest.raises(PermissionDenied):
        ReviewLogEntry.objects.filter(pk=entry.pk).update(note="rewritten")
    with pytest.raises(PermissionDenied):
        ReviewLogEntry.objects.all().delete()
    assert ReviewLogEntry.objects.get(pk=entry.pk).note == "original"
