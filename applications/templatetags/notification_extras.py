"""The header's bell (unread count) and the application page's Watch button."""

from django import template

from ..selectors.notifications import notification_unread_count, watch_exists

register = template.Library()


@register.inclusion_tag("notifications/_bell.html", takes_context=True)
def notification_bell(context):
    user = context["request"].user
    return {"unread": notification_unread_count(user=user) if user.is_authenticated else 0}


@register.inclusion_tag("notifications/_watch_button.html", takes_context=True)
def watch_button(context, application):
    request = context["request"]
    return {
        "application": application,
        "csrf_token": context.get("csrf_token"),
        "watching": watch_exists(user=request.user, application=application),
    }
