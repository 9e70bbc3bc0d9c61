"""Forms of the internal review actions: status, assignee and notes."""

from django import forms

from ..models import ReviewStatus
from ..permissions import reviewer_choices


class StatusForm(forms.Form):
    status = forms.ChoiceField(label="Internal status", choices=ReviewStatus.choices)
    note = forms.CharField(
        label="Note (required when resolving a rejected application)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=5000,
    )


class AssignForm(forms.Form):
    assignee = forms.ChoiceField(label="Assignee", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = [("", "Nobody")] + reviewer_choices()


class NoteForm(forms.Form):
    note = forms.CharField(label="Note", widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
