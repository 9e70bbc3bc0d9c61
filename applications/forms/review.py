"""Forms of the internal review actions: status, assignee and notes."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import ReviewStatus
from ..permissions import reviewer_choices
from .widgets import FastSelect


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Internal status"), choices=ReviewStatus.choices, widget=FastSelect)
    note = forms.CharField(
        label=_("Note (required when resolving a rejected application)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=5000,
    )


class AssignForm(forms.Form):
    assignee = forms.ChoiceField(label=_("Assignee"), required=False, widget=FastSelect)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = [("", _("Nobody"))] + reviewer_choices()


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
