"""Fan-out of an ApplicationEvent: inbox rows for watchers, outbox rows for e-mails and rule channels.

Called inside the transaction that writes the event, so the event and everything it owes people
commit or roll back together (a transactional outbox). Delivery is enqueued only after commit;
if that enqueue is lost (worker killed, broker down) the sweeper finds the rows anyway.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from ... import codes
from ...models import Delivery, Notification, NotificationRule, Watch
from ...notifications.events import Change, change_payload
from ...notifications.rules import RuleSpec, rule_matches
from ...selectors.notifications import application_is_watched, rules_exist_on_field, rules_on_field
from .language import recipient_language
from .viewer_cache import forget_unread_counts


def application_path(application) -> str:
    path = reverse("applications:detail", args=[application.request_no])
    return f"{path}?{urlencode({'cust_space_id': application.cust_space_id})}" if application.cust_space_id else path


def absolute_url(path: str) -> str:
    return f"{settings.NOTIFY_BASE_URL}{path}"


def _summary_for(change: Change, user) -> str:
    """The inbox line about ``change``, in ``user``'s language (stored as text, so chosen now)."""
    with translation.override(recipient_language(user)):
        return change.summary


def change_from_event(event, application) -> Change:
    kind = "State" if event.field == "state" else "AuditResult"
    return Change(
        request_no=application.request_no,
        cust_space_id=application.cust_space_id,
        company=application.company_english_name or application.company_legal_name,
        request_type=application.request_type,
        field=event.field,
        old_value=event.old_value,
        new_value=event.new_value,
        old_label=codes.describe(kind, event.old_value).label if event.old_value else "",
        new_label=codes.describe(kind, event.new_value).label,
        seen_at=event.seen_at,
        gmt_create=application.gmt_create,
        gmt_modified=application.gmt_modified,
        audit_time=application.audit_time,
        url=absolute_url(application_path(application)),
    )


def rule_spec(rule: NotificationRule) -> RuleSpec:
    return RuleSpec(
        field=rule.field,
        values=tuple(rule.values or ()),
        cust_space_id=rule.cust_space_id,
        request_type=rule.request_type,
    )


def enqueue_on_commit(delivery_ids: list[int], *, slow: bool = False) -> None:
    """Queue delivery tasks once the transaction commits; ``slow`` takes the slow lane (retries,
    failing or slow channels), so they never wait in front of deliveries to healthy channels."""
    if not delivery_ids:
        return
    queue = settings.NOTIFY_SLOW_QUEUE if slow else settings.NOTIFY_QUEUE

    def enqueue():
        from ...tasks import notification_deliver  # tasks import services; import here, not at the top

        for delivery_id in delivery_ids:
            notification_deliver.apply_async(args=[delivery_id], queue=queue)

    transaction.on_commit(enqueue)


def _emails_watched(user) -> bool:
    # A user without a NotificationPreference row has the defaults: inbox only.
    preference = getattr(user, "notification_preference", None)
    return preference is not None and preference.email_watched


def notification_fan_out(*, event, application) -> list[int]:
    """Write inbox and outbox rows for ``event`` (DB writes; must run inside the event's transaction).

    Returns the new Delivery ids; their delivery is enqueued when the transaction commits.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("notification_fan_out must run in the transaction that writes the event")
    # Each watcher's e-mail choice comes with the watch: one query, not a second one per event.
    watches = (
        list(
            Watch.objects.filter(application=application).select_related(
                "user", "user__preferences", "user__notification_preference"
            )
        )
        if application_is_watched(application_id=application.pk)
        else []
    )
    rules = rules_on_field(event.field).select_related("channel") if rules_exist_on_field(field=event.field) else []
    if not watches and not rules:
        return []
    change = change_from_event(event, application)
    payload = change_payload(change)
    path = application_path(application)
    wants_email = {w.user_id for w in watches if _emails_watched(w.user)}
    inbox = Notification.objects.bulk_create(
        [
            Notification(
                user=w.user,
                application=application,
                event=event,
                title=_summary_for(change, w.user)[:300],
                url=path,
                created_at=event.seen_at,
            )
            for w in watches
            if w.user.is_active
        ]
    )
    forget_unread_counts([notification.user_id for notification in inbox])
    deliveries = [
        Delivery(recipient=w.user, event=event, event_type=change.event_type, payload=payload)
        for w in watches
        if w.user.is_active and w.user_id in wants_email and w.user.email
    ]
    fired, channels, troubled = [], set(), set()
    now = timezone.now()
    for rule in rules:
        if rule_matches(
            rule_spec(rule),
            field=event.field,
            new_value=event.new_value,
            cust_space_id=application.cust_space_id,
            request_type=application.request_type,
        ):
            fired.append(rule.pk)
            if rule.channel_id not in channels:  # two rules to one channel send one message
                channels.add(rule.channel_id)
                if rule.channel.is_troubled(now):
                    troubled.add(rule.channel_id)
                deliveries.append(
                    Delivery(channel_id=rule.channel_id, event=event, event_type=change.event_type, payload=payload)
                )
    created = Delivery.objects.bulk_create(deliveries)
    if fired:
        NotificationRule.objects.filter(pk__in=fired).update(last_fired_at=event.seen_at)
    enqueue_on_commit([d.pk for d in created if d.channel_id not in troubled])
    enqueue_on_commit([d.pk for d in created if d.channel_id in troubled], slow=True)
    return [d.pk for d in created]
