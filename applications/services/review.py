"""Internal review actions: set the status, assign, add a note. Each appends to the review log.

Callers (the application page, admin actions) pass the acting user; the service checks the
``applications.review_application`` permission itself, so no entry point can skip it. Every
public function writes the application's review columns and one ``ReviewLogEntry`` in one short
transaction (DB writes only, no network) with the application row locked, so two reviewers
acting at once produce two consistent log entries.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import codes
from ..models import ReviewLogEntry, ReviewStatus, ViberApplication
from ..permissions import can_review

NOTE_MAX_LENGTH = 5000


def _check_actor(actor):
    if not can_review(actor):
        raise PermissionDenied("Only members of the reviewers group can change an application's review")


def _clean_note(note: str) -> str:
    note = (note or "").strip()
    if len(note) > NOTE_MAX_LENGTH:
        raise ValidationError(
            _("A note is at most %(limit)d characters.") % {"limit": NOTE_MAX_LENGTH}, code="note_too_long"
        )
    return note


def _display_name(user) -> str:
    return user.get_username() if user else ""


def _log(application, actor, action, *, before="", after="", note="", at) -> ReviewLogEntry:
    return ReviewLogEntry.objects.create(
        application=application,
        actor=actor,
        actor_name=_display_name(actor),
        at=at,
        action=action,
        before=before,
        after=after,
        note=note,
    )


def _locked(application) -> ViberApplication:
    return (
        ViberApplication.objects.select_for_update()
        .only("id", "audit_result", "review_status", "assignee_id", "review_updated_at")
        .get(pk=application.pk)
    )


def review_set_status(*, application: ViberApplication, status: str, actor, note: str = "") -> ReviewLogEntry | None:
    """Set the internal status; returns the log entry, or None when the status was already that.

    Resolving an application CAMS rejected (a rejection in the code table) needs a note (why it is
    fine to stop following it).
    Raises PermissionDenied (actor not a reviewer) or ValidationError (bad status, missing note).
    """
    _check_actor(actor)
    if status not in ReviewStatus.values:
        raise ValidationError(_("Unknown review status %(status)r.") % {"status": status}, code="invalid_status")
    note = _clean_note(note)
    with transaction.atomic():
        current = _locked(application)
        if status == ReviewStatus.RESOLVED and codes.is_rejection(current.audit_result) and not note:
            raise ValidationError(_("Resolving a rejected application needs a note."), code="note_required")
        if current.review_status == status and not note:
            return None
        now = timezone.now()
        ViberApplication.objects.filter(pk=current.pk).update(review_status=status, review_updated_at=now)
        entry = _log(
            current, actor, ReviewLogEntry.Action.STATUS, before=current.review_status, after=status, note=note, at=now
        )
    application.review_status, application.review_updated_at = status, now
    return entry


def review_assign(*, application: ViberApplication, assignee, actor) -> ReviewLogEntry | None:
    """Assign to ``assignee`` (a reviewer) or unassign with None; None returned when nothing changed."""
    _check_actor(actor)
    if assignee is not None and not can_review(assignee):
        raise ValidationError(_("Applications can only be assigned to reviewers."), code="assignee_not_reviewer")
    with transaction.atomic():
        current = _locked(application)
        new_id = assignee.pk if assignee else None
        if current.assignee_id == new_id:
            return None
        before = _display_name(current.assignee) if current.assignee_id else ""
        now = timezone.now()
        ViberApplication.objects.filter(pk=current.pk).update(assignee_id=new_id, review_updated_at=now)
        entry = _log(current, actor, ReviewLogEntry.Action.ASSIGN, before=before, after=_display_name(assignee), at=now)
    application.assignee, application.review_updated_at = assignee, now
    return entry


def review_add_note(*, application: ViberApplication, actor, note: str) -> ReviewLogEntry:
    """Append a note (the application's review columns only get a new ``review_updated_at``)."""
    _check_actor(actor)
    note = _clean_note(note)
    if not note:
        raise ValidationError(_("The note is empty."), code="note_empty")
    with transaction.atomic():
        current = _locked(application)
        now = timezone.now()
        ViberApplication.objects.filter(pk=current.pk).update(review_updated_at=now)
        entry = _log(current, actor, ReviewLogEntry.Action.NOTE, note=note, at=now)
    application.review_updated_at = now
    return entry
