"""Changelist actions: thin wrappers over the services (refresh queue, CSV export, review assignment)."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError

from ..exports.csv import csv_response
from ..services.refresh import applications_refresh_enqueue
from ..services.review import review_assign

# A selection across all pages of a million-row list must not become a million tasks or log entries.
MAX_SELECTION = 500


def _too_many(modeladmin, request, queryset, verb):
    ids = list(queryset.order_by().values_list("pk", flat=True)[: MAX_SELECTION + 1])
    if len(ids) > MAX_SELECTION:
        modeladmin.message_user(
            request,
            f"Select at most {MAX_SELECTION} applications to {verb} at once "
            "(narrow the list with the search or the filters).",
            messages.ERROR,
        )
        return None
    return ids


@admin.action(description="Refresh selected applications from CAMS (in the background)", permissions=["refresh"])
def refresh_selected(modeladmin, request, queryset):
    """Queues one Celery refresh per application; the workers go through the shared rate limiter."""
    ids = _too_many(modeladmin, request, queryset, "refresh")
    if ids is None:
        return None
    queued = applications_refresh_enqueue(application_ids=ids)
    modeladmin.message_user(
        request, f"Queued {queued} refresh(es); the list shows new data once they ran.", messages.SUCCESS
    )
    return None


@admin.action(description="Export selected applications as CSV", permissions=["view"])
def export_selected(modeladmin, request, queryset):
    """The review queue's spreadsheet-safe CSV (cells that would run as formulas are neutralised)."""
    return csv_response(queryset)


def assign_action(assignee):
    """An action assigning the selection to ``assignee`` (a reviewer), or unassigning it with None."""

    def assign(modeladmin, request, queryset):
        ids = _too_many(modeladmin, request, queryset, "assign")
        if ids is None:
            return None
        changed = 0
        try:
            for application in queryset.model._default_manager.filter(pk__in=ids).select_related("assignee"):
                changed += review_assign(application=application, assignee=assignee, actor=request.user) is not None
        except PermissionDenied:
            modeladmin.message_user(request, "Only reviewers can assign applications.", messages.ERROR)
            return None
        except ValidationError as error:
            modeladmin.message_user(request, " ".join(error.messages), messages.ERROR)
            return None
        target = f"to {assignee.get_username()}" if assignee else "(unassigned)"
        modeladmin.message_user(
            request, f"{changed} application(s) assigned {target}; {len(ids) - changed} already were.", messages.SUCCESS
        )
        return None

    name = f"assign_to_{assignee.pk}" if assignee else "unassign"
    description = f"Assign selected to {assignee.get_username()}" if assignee else "Unassign selected"
    assign.__name__ = name
    return assign, name, description
