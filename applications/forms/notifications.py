"""Forms of the Notifications pages: rules, channels and the user's preference."""

from django import forms

from ..models import Channel, ChannelKind, NotificationPreference, NotificationRule
from ..notifications.rules import parse_values


class RuleForm(forms.ModelForm):
    values = forms.CharField(
        label="Becomes one of",
        required=False,
        max_length=500,
        help_text="Codes, comma-separated (e.g. reject, pass); empty means any change",
    )

    class Meta:
        model = NotificationRule
        fields = ["name", "field", "values", "cust_space_id", "request_type", "channel", "enabled", "sla_digest"]
        labels = {"field": "When", "cust_space_id": "Only customer space", "request_type": "Only request type"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channel"].queryset = Channel.objects.all()
        if self.instance.pk and not self.is_bound:
            self.initial["values"] = ", ".join(self.instance.values or [])

    def clean_values(self):
        return parse_values(self.cleaned_data.get("values") or "")


class ChannelForm(forms.Form):
    name = forms.CharField(max_length=100)
    kind = forms.ChoiceField(choices=ChannelKind.choices)
    target = forms.CharField(
        label="URL or e-mail addresses",
        max_length=2000,
        help_text="https URL of the webhook or robot; for e-mail, comma-separated addresses",
    )
    secret = forms.CharField(
        label="Robot secret (DingTalk, Feishu)",
        required=False,
        max_length=200,
        widget=forms.PasswordInput(render_value=False),
        help_text="The signing secret the chat tool shows; webhooks get a generated one",
    )


class ChannelEditForm(forms.Form):
    name = forms.CharField(max_length=100)
    target = forms.CharField(label="URL or e-mail addresses", max_length=2000)


class PreferenceForm(forms.ModelForm):
    class Meta:
        model = NotificationPreference
        fields = ["email_watched"]
