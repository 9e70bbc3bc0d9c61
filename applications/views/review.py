"""Internal review actions posted from the application page: status, assignee, note.

Thin: writes come from services.review, which checks the permission again. A viewer's POST
answers 403 whatever the form says.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..forms.review import AssignForm, NoteForm, StatusForm
from ..models import ViberApplication
from ..permissions import can_review
from ..selectors.applications import application_get_by_id
from ..selectors.review import user_get
from ..services import review as review_services
from .pages import detail_page


def _reviewed_application(request, pk) -> ViberApplication:
    if not can_review(request.user):
        raise PermissionDenied("Only reviewers can change an application's review")
    application = application_get_by_id(pk=pk)
    if application is None:
        raise Http404("No stored application with this id.")
    return application


def _back(application):
    return redirect(application.get_absolute_url() + "#review")


# Which field a service's ValidationError is about, by its code; others go above the form.
_ERROR_FIELDS = {"note_required": "note", "note_too_long": "note", "invalid_status": "status"}


def _form_name(form_class) -> str:
    return {StatusForm: "status_form", AssignForm: "assign_form", NoteForm: "note_form"}[form_class]


def _review_action(request, pk, form_class, act):
    """Validate the POSTed form, run ``act(application, cleaned_data)`` and go back to the page.

    ``act`` calls a review service and returns (level, message) for the user, or None to say
    nothing. A form that does not validate, or a ValidationError from the service, re-shows the
    application page (400) with the error next to its field and the reviewer's choices kept.
    """
    application = _reviewed_application(request, pk)
    form = form_class(request.POST, auto_id=f"{_form_name(form_class).split('_')[0]}_%s")
    if form.is_valid():
        try:
            outcome = act(application, form.cleaned_data)
        except ValidationError as error:
            for message, code in zip(error.messages, [e.code for e in error.error_list], strict=False):
                field = _ERROR_FIELDS.get(code)
                form.add_error(field if field in form.fields else None, message)
        else:
            if outcome:
                level, text = outcome
                messages.add_message(request, level, text)
            return _back(application)
    return detail_page(request, application, bound_forms={_form_name(form_class): form}, status=400)


@require_POST
@login_required
def review_status(request, pk):
    def act(application, data):
        entry = review_services.review_set_status(
            application=application, status=data["status"], actor=request.user, note=data["note"]
        )
        if entry:
            return messages.SUCCESS, _("Internal status set to %(status)s.") % {
                "status": application.get_review_status_display()
            }
        return messages.INFO, _("The internal status was already that.")

    return _review_action(request, pk, StatusForm, act)


@require_POST
@login_required
def review_assign(request, pk):
    def act(application, data):
        assignee = None
        if data["assignee"]:
            assignee = user_get(pk=data["assignee"])
            if assignee is None:
                raise Http404("No such user.")
        if review_services.review_assign(application=application, assignee=assignee, actor=request.user):
            if assignee:
                return messages.SUCCESS, _("Assigned to %(user)s.") % {"user": assignee.get_username()}
            return messages.SUCCESS, _("Unassigned.")
        return None

    return _review_action(request, pk, AssignForm, act)


@require_POST
@login_required
def review_note(request, pk):
    def act(application, data):
        review_services.review_add_note(application=application, actor=request.user, note=data["note"])
        return messages.SUCCESS, _("Note added.")

    return _review_action(request, pk, NoteForm, act)
