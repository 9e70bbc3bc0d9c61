"""The internal review trail: review statuses and the append-only log of review actions.

The review *state* (status, assignee) lives in columns of ``ViberApplication`` so the queue filters
and sorts on one table; this module holds the statuses and the log of every review action.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ReviewStatus(models.TextChoices):
    NEW = "new", _("New")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    FOLLOWING_UP = "following_up", _("Following up with customer")
    ESCALATED = "escalated", _("Escalated")
    RESOLVED = "resolved", _("Resolved")


class AppendOnlyQuerySet(models.QuerySet):
    """Bulk ``update()`` and ``delete()`` are refused: the log is only ever appended to.

    Deleting an application still cascades (Django's collector deletes rows without this
    queryset); nothing in the app deletes applications.
    """

    def update(self, **kwargs):
        raise PermissionDenied("The review log is append-only")

    def delete(self):
        raise PermissionDenied("The review log is append-only")

    update.queryset_only = True
    delete.queryset_only = True


class ReviewLogEntry(models.Model):
    """One review action: who, when, what, and the value before and after."""

    class Action(models.TextChoices):
        STATUS = "status", _("Status changed")
        ASSIGN = "assign", _("Assignee changed")
        NOTE = "note", _("Note added")

    application = models.ForeignKey(
        "applications.ViberApplication", on_delete=models.CASCADE, related_name="review_log"
    )
    # The user row may go away one day; the name recorded at the time stays.
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    actor_name = models.CharField(max_length=150)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    action = models.CharField(max_length=16, choices=Action.choices)
    before = models.CharField(max_length=150, blank=True, default="")
    after = models.CharField(max_length=150, blank=True, default="")
    note = models.TextField(blank=True, default="")

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["application", "-at"], name="review_log_app_at_idx")]
        permissions = [("review_application", "Can set review status, assign and add notes")]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.get_action_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise PermissionDenied("The review log is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied("The review log is append-only")
