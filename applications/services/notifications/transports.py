"""Send one outbox row: e-mail through Django's mail framework, or an HTTP POST (webhook, robots).

Network only, no DB writes; every outcome comes back as a ``Result`` saying whether a retry may help.
"""

import json
import smtplib
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, mailers
from django.template.loader import render_to_string
from django.utils import translation

from ...models import ChannelKind
from ...notifications import http, robots, signing
from ...notifications.events import message_lines
from ...notifications.ssrf import UnsafeTarget, resolve_target
from .language import recipient_language

ATTEMPT_HEADER = "X-Viber-Review-Attempt"  # unique per attempt; webhook-id is the same on every retry


@dataclass
class Result:
    ok: bool
    retryable: bool = False
    status_code: int | None = None
    latency_ms: int | None = None
    excerpt: str = ""
    error: str = ""
    retry_after: float | None = None


def _classify(kind: str, response: http.Response) -> Result:
    base = {"status_code": response.status, "latency_ms": response.latency_ms, "excerpt": response.excerpt}
    if response.status is None:
        return Result(ok=False, retryable=True, error=response.error, **base)
    if 200 <= response.status < 300:
        if error := robots.robot_error(kind, response.body_json):
            return Result(ok=False, retryable=False, error=error, **base)
        return Result(ok=True, **base)
    if response.status == 429 or response.status >= 500:
        return Result(
            ok=False, retryable=True, error=f"HTTP {response.status}", retry_after=response.retry_after, **base
        )
    return Result(ok=False, retryable=False, error=f"HTTP {response.status} (not retried)", **base)


def _http_request(channel, payload: dict, *, message_id: str, now: float) -> tuple[str, dict, bytes]:
    kind = channel.kind
    if kind == ChannelKind.WEBHOOK:
        body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()
        headers = signing.webhook_headers(
            channel.signing_secrets(), message_id=message_id, timestamp=int(now), body=body
        )
        return channel.target, headers, body
    if kind == ChannelKind.DINGTALK:
        url, data = robots.build_dingtalk(channel.target, channel.secret, payload, now_ms=int(now * 1000))
    elif kind == ChannelKind.FEISHU:
        url, data = robots.build_feishu(channel.target, channel.secret, payload, now_s=int(now))
    elif kind == ChannelKind.WECOM:
        url, data = robots.build_wecom(channel.target, payload)
    else:
        url, data = robots.build_slack(channel.target, payload)
    return url, {"webhook-id": message_id}, json.dumps(data, ensure_ascii=False).encode()


def send_http(channel, payload: dict, *, message_id: str, attempt_id: str) -> Result:
    # A chat room has no one reader: robots write in the site's language, whatever is active here.
    with translation.override(recipient_language()):
        url, headers, body = _http_request(channel, payload, message_id=message_id, now=time.time())
    try:
        # Checked again at send time: the name may resolve elsewhere than when the channel was saved.
        target = resolve_target(url, allow_private=settings.NOTIFY_ALLOW_PRIVATE_TARGETS)
    except UnsafeTarget as exc:
        return Result(ok=False, retryable=False, error=f"refused: {exc}")
    response = http.post_json(
        target,
        body,
        {**headers, ATTEMPT_HEADER: attempt_id},
        connect_timeout=settings.NOTIFY_CONNECT_TIMEOUT_SECONDS,
        read_timeout=settings.NOTIFY_READ_TIMEOUT_SECONDS,
    )
    return _classify(channel.kind, response)


def email_message(
    payload: dict, recipients: list[str], *, message_id: str, language: str | None = None
) -> EmailMultiAlternatives:
    """Plain text and HTML parts in ``language`` (default: the site's); the HTML comes from an
    autoescaping template (upstream text is hostile)."""
    with translation.override(language or recipient_language()):
        title, lines, url = message_lines(payload)
        html = render_to_string("notifications/email.html", {"title": title, "lines": lines, "url": url})
    text = "\n".join([title, "", *lines, "", url]) + "\n"
    message = EmailMultiAlternatives(
        subject=f"[Viber Review] {title}", body=text, to=recipients, headers={"X-Viber-Review-Message-Id": message_id}
    )
    message.attach_alternative(html, "text/html")
    return message


def send_email(payload: dict, recipients: list[str], *, message_id: str, language: str | None = None) -> Result:
    if not recipients:
        return Result(ok=False, retryable=False, error="no recipient address")
    started = time.monotonic()
    try:
        with mailers.default as connection:
            connection.send_messages([email_message(payload, recipients, message_id=message_id, language=language)])
    except smtplib.SMTPRecipientsRefused as exc:
        return Result(
            ok=False, retryable=False, error=f"recipients refused: {len(exc.recipients)}", latency_ms=_ms(started)
        )
    except (smtplib.SMTPException, OSError) as exc:
        return Result(ok=False, retryable=True, error=f"mail error: {exc.__class__.__name__}", latency_ms=_ms(started))
    return Result(ok=True, latency_ms=_ms(started), excerpt=f"sent to {len(recipients)} recipient(s)")


def _ms(started: float) -> int:
    return int((time.monotonic() - started) * 1000)


def email_recipients(target: str) -> list[str]:
    return [address.strip() for address in target.replace(";", ",").split(",") if address.strip()]


def send(delivery, *, attempt_id: str) -> Result:
    """Deliver ``delivery`` once (network call: SMTP or HTTP)."""
    channel = delivery.channel
    if channel is None:
        recipient = delivery.recipient
        return send_email(
            delivery.payload,
            [recipient.email] if recipient else [],
            message_id=delivery.message_id,
            language=recipient_language(recipient),
        )
    if channel.kind == ChannelKind.EMAIL:
        return send_email(delivery.payload, email_recipients(channel.target), message_id=delivery.message_id)
    return send_http(channel, delivery.payload, message_id=delivery.message_id, attempt_id=attempt_id)
