"""Read queries behind the internal review panel: the review log, the documents to diff, assignees."""

from django.contrib.auth import get_user_model

from ..models import ApplicationSnapshot, ReviewLogEntry, ViberApplication


def review_log_list(*, application: ViberApplication, limit: int) -> list[ReviewLogEntry]:
    """The application's review actions, newest first."""
    return list(ReviewLogEntry.objects.filter(application=application).order_by("-at", "-id")[:limit])


def snapshot_documents(*, application: ViberApplication, limit: int) -> list[ApplicationSnapshot]:
    """The newest ``limit`` snapshots with their documents (and nothing else heavy), newest first."""
    return list(
        ApplicationSnapshot.objects.filter(application=application)
        .order_by("-seen_at", "-id")
        .only("id", "seen_at", "state", "audit_result", "document", "request_id")[:limit]
    )


def user_get(*, pk: int):
    """The user with this id, or None (an assignee picked in a form may have been deleted since)."""
    return get_user_model()._default_manager.filter(pk=pk).first()
