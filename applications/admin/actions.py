"""Changelist actions: thin wrappers over the services (refresh queue, CSV export, review assignment)."""

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext, gettext_lazy

from ..exports.csv import csv_response
from ..services.refresh import applications_refresh_enqueue
from ..services.review import review_assign

# A selection across all pages of a million-row list must not become a million tasks or log entries.
MAX_SELECTION = 500


def _too_many(modeladmin, request, queryset, message):
    """The ids of the selection, or None (and ``message`` shown, its ``%(max)s`` filled) when it is too big."""
    ids = list(queryset.order_by().values_list("pk", flat=True)[: MAX_SELECTION + 1])
    if len(ids) > MAX_SELECTION:
        modeladmin.message_user(request, message % {"max": MAX_SELECTION}, messages.ERROR)
        return None
    return ids


@admin.action(
    description=gettext_lazy("Refresh selected applications from CAMS (in the background)"), permissions=["refresh"]
)
def refresh_selected(modeladmin, request, queryset):
    """Queues one Celery refresh per application; the workers go through the shared rate limiter."""
    ids = _too_many(
        modeladmin,
        request,
        queryset,
        gettext(
            "Select at most %(max)s applications to refresh at once (narrow the list with the search or the filters)."
        ),
    )
    if ids is None:
        return None
    queued = applications_refresh_enqueue(application_ids=ids)
    modeladmin.message_user(
        request,
        gettext("Queued %(count)s refresh(es); the list shows new data once they ran.") % {"count": queued},
        messages.SUCCESS,
    )
    return None


@admin.action(description=gettext_lazy("Export selected applications as CSV"), permissions=["view"])
def export_selected(modeladmin, request, queryset):
    """The review queue's spreadsheet-safe CSV (cells that would run as formulas are neutralised)."""
    return csv_response(queryset)


def assign_action(assignee):
    """An action assigning the selection to ``assignee`` (a reviewer's ``(pk, user name)``), or unassigning with None.

    The user is read when the action runs: the list of reviewers it was offered from may be cached.
    """
    pk, username = assignee or (None, None)

    def assign(modeladmin, request, queryset):
        ids = _too_many(
            modeladmin,
            request,
            queryset,
            gettext(
                "Select at most %(max)s applications to assign at once "
                "(narrow the list with the search or the filters)."
            ),
        )
        if ids is None:
            return None
        user = None
        if pk is not None:
            user = get_user_model()._default_manager.filter(pk=pk).first()
            if user is None:
                modeladmin.message_user(
                    request, gettext("Applications can only be assigned to reviewers."), messages.ERROR
                )
                return None
        changed = 0
        try:
            for application in queryset.model._default_manager.filter(pk__in=ids).select_related("assignee"):
                changed += review_assign(application=application, assignee=user, actor=request.user) is not None
        except PermissionDenied:
            modeladmin.message_user(request, gettext("Only reviewers can assign applications."), messages.ERROR)
            return None
        except ValidationError as error:
            modeladmin.message_user(request, " ".join(error.messages), messages.ERROR)
            return None
        counts = {"changed": changed, "unchanged": len(ids) - changed}
        if user:
            message = gettext("%(changed)s application(s) assigned to %(user)s; %(unchanged)s already were.") % {
                **counts,
                "user": user.get_username(),
            }
        else:
            message = gettext("%(changed)s application(s) unassigned; %(unchanged)s already were.") % counts
        modeladmin.message_user(request, message, messages.SUCCESS)
        return None

    name = f"assign_to_{pk}" if assignee else "unassign"
    if assignee:
        description = gettext("Assign selected to %(user)s") % {"user": username}
    else:
        description = gettext("Unassign selected")
    assign.__name__ = name
    return assign, name, description
