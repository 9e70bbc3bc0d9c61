"""Forms of the Notifications pages: rules, channels and the user's preference."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Channel, ChannelKind, NotificationPreference, NotificationRule
from ..notifications.rules import parse_values


class RuleForm(forms.ModelForm):
    values = forms.CharField(
        label=_("Becomes one of"),
        required=False,
        max_length=500,
        help_text=_("Codes, comma-separated (e.g. reject, pass); empty means any change"),
    )

    class Meta:
        model = NotificationRule
        fields = ["name", "field", "values", "cust_space_id", "request_type", "channel", "enabled", "sla_digest"]
        labels = {
            "name": _("Name"),
            "field": _("When"),
            "cust_space_id": _("Only customer space"),
            "request_type": _("Only request type"),
            "channel": _("Channel"),
            "enabled": _("Enabled"),
            "sla_digest": _("Also send the SLA digest to this channel"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channel"].queryset = Channel.objects.all()
        if self.instance.pk and not self.is_bound:
            self.initial["values"] = ", ".join(self.instance.values or [])

    def clean_values(self):
        return parse_values(self.cleaned_data.get("values") or "")


class ChannelForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=ChannelKind.choices)
    target = forms.CharField(
        label=_("URL or e-mail addresses"),
        max_length=2000,
        help_text=_("https URL of the webhook or robot; for e-mail, comma-separated addresses"),
    )
    secret = forms.CharField(
        label=_("Robot secret (DingTalk, Feishu)"),
        required=False,
        max_length=200,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("The signing secret the chat tool shows; webhooks get a generated one"),
    )


class ChannelEditForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    target = forms.CharField(label=_("URL or e-mail addresses"), max_length=2000)


class PreferenceForm(forms.ModelForm):
    class Meta:
        model = NotificationPreference
        fields = ["email_watched"]
        labels = {"email_watched": _("E-mail me changes of applications I watch")}
