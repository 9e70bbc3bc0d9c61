"""Notifications pages: the inbox (everyone), rules and channels (reviewers), watch toggles.

Thin: writes in services.notifications.manage, reads in selectors.notifications.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ..forms.notifications import ChannelEditForm, ChannelForm, PreferenceForm, RuleForm
from ..models import Channel, ChannelKind, Delivery, NotificationPreference, NotificationRule
from ..permissions import can_manage_notifications
from ..selectors import notifications as read
from ..selectors.applications import application_get
from ..services.notifications import manage


def _manager_only(request):
    if not can_manage_notifications(request.user):
        raise PermissionDenied(gettext("Only reviewers and admins manage notification rules and channels."))


def _errors(exc: ValidationError) -> str:
    return " ".join(exc.messages)


@require_GET
@login_required
def inbox(request):
    preference = NotificationPreference.objects.filter(user=request.user).first()
    return render(
        request,
        "notifications/inbox.html",
        {
            "notifications": read.notification_inbox(user=request.user),
            "watches": read.watch_list(user=request.user),
            "preference_form": PreferenceForm(instance=preference),
            "can_manage": can_manage_notifications(request.user),
        },
    )


@require_POST
@login_required
def mark_read(request):
    ids = request.POST.getlist("id")
    ids = [int(i) for i in ids if i.isdigit()] if ids else None
    count = manage.notifications_mark_read(user=request.user, ids=ids)
    messages.success(
        request,
        ngettext("Marked %(count)d notification read.", "Marked %(count)d notifications read.", count)
        % {"count": count},
    )
    return redirect("applications:notifications")


@require_POST
@login_required
def preference(request):
    form = PreferenceForm(request.POST)
    form.is_valid()
    manage.preference_set(user=request.user, email_watched=bool(form.cleaned_data.get("email_watched")))
    if form.cleaned_data.get("email_watched") and not request.user.email:
        messages.warning(request, gettext("Saved, but your account has no e-mail address: ask an admin to add one."))
    else:
        messages.success(request, gettext("Preference saved."))
    return redirect("applications:notifications")


@require_POST
@login_required
def watch(request, request_no):
    cust_space_id = request.GET.get("cust_space_id", "")
    application = application_get(request_no=request_no[:64], cust_space_id=cust_space_id[:64])
    if application is None:
        raise Http404(gettext("No stored application with this request number"))
    watching = request.POST.get("watch") == "1"
    manage.watch_set(user=request.user, application=application, watching=watching)
    messages.success(
        request,
        gettext("You are watching this application: its changes appear in your notifications.")
        if watching
        else gettext("You no longer watch this application."),
    )
    return redirect(application)


@require_http_methods(["GET", "POST"])
@login_required
def rules(request):
    _manager_only(request)
    form = RuleForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            manage.rule_save(user=request.user, **form.cleaned_data)
            messages.success(request, gettext("Rule created."))
            return redirect("applications:notification-rules")
        messages.error(request, gettext("The rule was not saved; see the errors below."))
    return render(
        request,
        "notifications/rules.html",
        {"rules": read.rule_list(), "form": form, "has_channels": Channel.objects.exists()},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@login_required
def rule_edit(request, pk):
    _manager_only(request)
    rule = get_object_or_404(NotificationRule, pk=pk)
    if request.method == "POST" and request.POST.get("delete"):
        manage.rule_delete(user=request.user, rule=rule)
        messages.success(request, gettext("Rule deleted."))
        return redirect("applications:notification-rules")
    form = RuleForm(request.POST or None, instance=rule)
    if request.method == "POST":
        if form.is_valid():
            manage.rule_save(user=request.user, rule=rule, **form.cleaned_data)
            messages.success(request, gettext("Rule saved."))
            return redirect("applications:notification-rules")
        messages.error(request, gettext("The rule was not saved; see the errors below."))
    return render(
        request, "notifications/rule_edit.html", {"rule": rule, "form": form}, status=400 if form.errors else 200
    )


@require_http_methods(["GET", "POST"])
@login_required
def channels(request):
    _manager_only(request)
    form = ChannelForm(request.POST or None)
    new_secret = None
    if request.method == "POST" and form.is_valid():
        try:
            channel, new_secret = manage.channel_create(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error("target", _errors(exc))
        else:
            messages.success(request, gettext("Channel “%(name)s” created.") % {"name": channel.name})
            if not new_secret:
                return redirect("applications:notification-channel", channel.pk)
            form = ChannelForm()
    return render(
        request,
        "notifications/channels.html",
        {
            "channels": read.channel_list(),
            "form": form,
            "new_secret": new_secret,
        },
        status=400 if form.errors else 200,
    )


def _channel_page(request, channel, *, form=None, test_delivery=None, new_secret=None, status=200):
    return render(
        request,
        "notifications/channel.html",
        {
            "channel": channel,
            "form": form or ChannelEditForm(initial={"name": channel.name, "target": channel.target}),
            "deliveries": read.channel_delivery_log(channel=channel),
            "test_delivery": test_delivery,
            "new_secret": new_secret,
            "is_webhook": channel.kind == ChannelKind.WEBHOOK,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@login_required
def channel_detail(request, pk):
    _manager_only(request)
    channel = get_object_or_404(Channel.objects.select_related("owner"), pk=pk)
    if request.method == "GET":
        return _channel_page(request, channel)
    action = request.POST.get("action", "")
    if action == "test":
        delivery = manage.channel_send_test(user=request.user, channel=channel)
        return _channel_page(request, channel, test_delivery=delivery)
    if action == "rotate":
        try:
            secret = manage.channel_rotate_secret(user=request.user, channel=channel)
        except ValidationError as exc:
            messages.error(request, _errors(exc))
            return redirect("applications:notification-channel", channel.pk)
        messages.success(request, gettext("New secret generated; the previous one stays valid for 24 hours."))
        return _channel_page(request, channel, new_secret=secret)
    if action in ("enable", "disable"):
        manage.channel_set_enabled(user=request.user, channel=channel, enabled=action == "enable")
        messages.success(request, gettext("Channel enabled.") if action == "enable" else gettext("Channel disabled."))
        return redirect("applications:notification-channel", channel.pk)
    if action == "delete":
        channel.delete()
        messages.success(request, gettext("Channel deleted."))
        return redirect("applications:notification-channels")
    form = ChannelEditForm(request.POST)
    if form.is_valid():
        try:
            manage.channel_update(user=request.user, channel=channel, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error("target", _errors(exc))
        else:
            messages.success(request, gettext("Channel saved."))
            return redirect("applications:notification-channel", channel.pk)
    return _channel_page(request, channel, form=form, status=400)


@require_POST
@login_required
def redeliver(request, pk):
    _manager_only(request)
    delivery = get_object_or_404(Delivery, pk=pk)
    try:
        manage.delivery_redeliver(user=request.user, delivery=delivery)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(
            request, gettext("Message %(message_id)s queued for redelivery.") % {"message_id": delivery.message_id}
        )
    if delivery.channel_id:
        return redirect(reverse("applications:notification-channel", args=[delivery.channel_id]))
    return redirect("applications:notifications")
