"""Chat robots: one small formatter per service over the same event, with its signature scheme.

Each ``build_*`` returns the final URL and the JSON body; messages are short markdown with a link
back to the application.
"""

import base64
import hashlib
import hmac
from urllib.parse import quote_plus, urlsplit, urlunsplit

from django.utils.translation import gettext

from .events import message_lines

MAX_LINES = 12


def _markdown(payload: dict, link_format: str) -> tuple[str, str]:
    title, lines, url = message_lines(payload)
    more = len(lines) - MAX_LINES
    shown = lines[:MAX_LINES] + ([gettext("… and %(count)d more") % {"count": more}] if more > 0 else [])
    text = "\n".join([f"**{title}**", "", *[f"- {line}" for line in shown]])
    if url:
        text += "\n\n" + link_format.format(url=url, text=gettext("Open in Viber Review"))
    return title, text


def _add_query(url: str, extra: str) -> str:
    parts = urlsplit(url)
    query = f"{parts.query}&{extra}" if parts.query else extra
    return urlunsplit(parts._replace(query=query))


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """HMAC-SHA256 of "timestamp\\nsecret" keyed by the secret, base64, URL-encoded.

    # Reference: https://open.dingtalk.com/document/orgapp/customize-robot-security-settings
    """
    digest = hmac.new(secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    return quote_plus(base64.b64encode(digest).decode())


def build_dingtalk(url: str, secret: str, payload: dict, *, now_ms: int) -> tuple[str, dict]:
    title, text = _markdown(payload, "[{text}]({url})")
    if secret:
        url = _add_query(url, f"timestamp={now_ms}&sign={dingtalk_sign(secret, now_ms)}")
    return url, {"msgtype": "markdown", "markdown": {"title": title, "text": text}}


def feishu_sign(secret: str, timestamp_s: int) -> str:
    """HMAC-SHA256 keyed by "timestamp\\nsecret" over an empty message, base64.

    # Reference: https://open.feishu.cn/document/client-docs/bot-v3/add-custom-bot (signature verification)
    """
    digest = hmac.new(f"{timestamp_s}\n{secret}".encode(), b"", hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def build_feishu(url: str, secret: str, payload: dict, *, now_s: int) -> tuple[str, dict]:
    title, text = _markdown(payload, "[{text}]({url})")
    body = {
        "msg_type": "interactive",
        "card": {
            "header": {"title": {"tag": "plain_text", "content": title}},
            "elements": [{"tag": "markdown", "content": text}],
        },
    }
    if secret:
        body = {"timestamp": str(now_s), "sign": feishu_sign(secret, now_s), **body}
    return url, body


def build_wecom(url: str, payload: dict) -> tuple[str, dict]:
    """WeCom group robots have no signature: the key in the URL is the credential.

    # Reference: https://developer.work.weixin.qq.com/document/path/91770
    """
    _, text = _markdown(payload, "[{text}]({url})")
    return url, {"msgtype": "markdown", "markdown": {"content": text}}


def build_slack(url: str, payload: dict) -> tuple[str, dict]:
    """Slack incoming webhooks: no signature, the URL is the secret; mrkdwn links are <url|text>.

    # Reference: https://api.slack.com/messaging/webhooks
    """
    _, text = _markdown(payload, "<{url}|{text}>")
    return url, {"text": text.replace("**", "*")}


def robot_error(kind: str, body: dict | None) -> str:
    """DingTalk, Feishu and WeCom answer HTTP 200 with an error code in the body; "" when fine."""
    if not isinstance(body, dict):
        return ""
    if kind in ("dingtalk", "wecom") and body.get("errcode") not in (None, 0):
        return f"errcode {body.get('errcode')}: {body.get('errmsg', '')}"[:300]
    if kind == "feishu" and body.get("code") not in (None, 0):
        return f"code {body.get('code')}: {body.get('msg', '')}"[:300]
    return ""
