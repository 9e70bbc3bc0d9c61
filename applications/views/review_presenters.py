"""What the application page adds for the internal review (the review panel), and the snapshot diffs."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from ..diffing import ADDED, CHANGED, REMOVED, snapshot_changes, value_text
from ..forms.review import AssignForm, NoteForm, StatusForm
from ..models import ReviewStatus
from ..permissions import can_review
from ..selectors.review import snapshot_documents

SNAPSHOT_DIFF_LIMIT = 20


# The kind of a change in words; the kind itself stays as the row's CSS class.
_KIND_LABELS = {ADDED: _("added"), REMOVED: _("removed"), CHANGED: _("changed")}


@dataclass(frozen=True)
class ChangeRow:
    path: str
    kind: str
    before: str
    after: str

    @property
    def kind_label(self) -> str:
        return _KIND_LABELS.get(self.kind, self.kind)


@dataclass(frozen=True)
class SnapshotDiff:
    snapshot: object
    previous: object  # None for the first copy stored (or when older ones are beyond the limit)
    changes: list


def _rows(changes) -> list[ChangeRow]:
    return [
        ChangeRow(
            change.path,
            change.kind,
            "" if change.kind == ADDED else value_text(change.before),
            "" if change.kind == REMOVED else value_text(change.after),
        )
        for change in changes
    ]


def snapshot_diffs(application, *, limit: int = SNAPSHOT_DIFF_LIMIT) -> list[SnapshotDiff]:
    """Newest first: each snapshot against the one stored before it (one query, limit + 1 rows)."""
    snapshots = snapshot_documents(application=application, limit=limit + 1)
    diffs = []
    for index, snapshot in enumerate(snapshots[:limit]):
        previous = snapshots[index + 1] if index + 1 < len(snapshots) else None
        changes = _rows(snapshot_changes(previous.document, snapshot.document)) if previous else []
        diffs.append(SnapshotDiff(snapshot, previous, changes))
    return diffs


def review_context(request, application) -> dict:
    forms = {"status_form": None, "assign_form": None, "note_form": None}
    editable = can_review(request.user)
    if editable:
        forms = {
            "status_form": StatusForm(initial={"status": application.review_status}, auto_id="status_%s"),
            "assign_form": AssignForm(initial={"assignee": application.assignee_id or ""}, auto_id="assign_%s"),
            "note_form": NoteForm(auto_id="note_%s"),
        }
    return {
        "can_review": editable,
        "review_status_label": ReviewStatus(application.review_status).label
        if application.review_status in ReviewStatus.values
        else application.review_status,
        **forms,
    }
