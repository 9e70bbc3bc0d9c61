"""The SLA digest: applications waiting beyond REVIEW_SLA_HOURS in a non-final state, oldest first."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ... import codes
from ...models import Channel, Delivery, NotificationRule, ViberApplication
from ...notifications.events import digest_payload
from .fanout import absolute_url, application_path, enqueue_on_commit

MAX_LISTED = 200


def late_applications(*, now=None, limit=MAX_LISTED) -> list[dict]:
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.REVIEW_SLA_HOURS * 3600)
    qs = (
        ViberApplication.objects.filter(state_changed_at__lt=cutoff)
        .order_by("state_changed_at", "id")
        .only(
            "request_no",
            "cust_space_id",
            "company_english_name",
            "company_legal_name",
            "state",
            "audit_result",
            "state_changed_at",
        )
    )
    late = []
    for app in qs.iterator(chunk_size=500):
        if codes.is_final(app.state, app.audit_result):
            continue
        late.append(
            {
                "request_no": app.request_no,
                "cust_space_id": app.cust_space_id,
                "company": app.company_english_name or app.company_legal_name,
                "state": app.state,
                "state_label": codes.describe("State", app.state).label,
                "waiting_hours": round((now - app.state_changed_at).total_seconds() / 3600, 1),
                "url": absolute_url(application_path(app)),
            }
        )
        if len(late) >= limit:
            break
    return late


def notification_sla_digest(*, now=None) -> list[int]:
    """Outbox rows for the digest to every enabled channel of a digest rule; none when nothing is late."""
    now = now or timezone.now()
    late = late_applications(now=now)
    if not late:
        return []
    channel_ids = set(
        NotificationRule.objects.filter(enabled=True, sla_digest=True).values_list("channel_id", flat=True)
    )
    channels = Channel.objects.filter(pk__in=channel_ids, enabled=True)
    payload = digest_payload(
        at=now, sla_hours=settings.REVIEW_SLA_HOURS, late=late, url=absolute_url("/queue/?sort=in_state")
    )
    with transaction.atomic():
        created = Delivery.objects.bulk_create(
            [Delivery(channel=channel, event_type=payload["type"], payload=payload) for channel in channels]
        )
        ids = [d.pk for d in created]
        enqueue_on_commit(ids)
    return ids
