"""The changelist's action menu, written directly.

Django renders a ``Select`` through the template engine: one template for the menu, one per option
and one per attribute list, fifteen of the list page's twenty-five template renders for a menu of
five actions. ``ActionSelect`` writes the same markup (``tests/test_admin_rows.py`` compares it with
Django's); a menu with option groups is left to Django.
"""

from django import forms
from django.contrib.admin import helpers
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe


def _attrs(attrs) -> str:
    """``django/forms/widgets/attrs.html``: `` name="value"`` each, a True value as a bare name, False left out."""
    return "".join(
        f" {conditional_escape(name)}"
        if value is True
        else f' {conditional_escape(name)}="{conditional_escape(str(value))}"'
        for name, value in attrs.items()
        if value is not False
    )


class ActionSelect(forms.Select):
    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        if any(group_name for group_name, _options, _index in widget["optgroups"]):
            return super().render(name, value, attrs, renderer)
        options = "".join(
            f'\n  <option value="{conditional_escape(str(option["value"]))}"{_attrs(option["attrs"])}>'
            f"{conditional_escape(option['label'])}</option>\n"
            for _group_name, group, _index in widget["optgroups"]
            for option in group
        )
        return mark_safe(
            f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>{options}\n</select>'
        )


class ActionForm(helpers.ActionForm):
    # Django's field, label and all, with the menu written directly.
    action = forms.ChoiceField(label=helpers.ActionForm.base_fields["action"].label, widget=ActionSelect)
