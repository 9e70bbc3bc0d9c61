"""Offline parts of notifications: rule matching, payloads, signatures (checked by the reference
library and by each robot's published algorithm written out here independently) and the SSRF guard."""

import base64
import hashlib
import hmac
import json
import socket
from datetime import UTC, datetime
from urllib.parse import parse_qs, unquote_plus, urlsplit

import pytest
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from applications.notifications import robots, signing
from applications.notifications.events import Change, change_payload, message_lines
from applications.notifications.rules import RuleSpec, parse_values, rule_matches
from applications.notifications.ssrf import UnsafeTarget, resolve_target

AT = datetime(2026, 11, 28, 6, 0, tzinfo=UTC)


def _change(**overrides):
    values = dict(
        request_no="7001",
        cust_space_id="space-1",
        company="Acme <b>Foods</b>",
        request_type="viberOpen",
        field="audit_result",
        old_value="auditing",
        new_value="reject",
        old_label="Under audit",
        new_label="Rejected",
        seen_at=AT,
        gmt_create=AT,
        gmt_modified=AT,
        audit_time=None,
        url="http://review.example/applications/7001/",
    )
    values.update(overrides)
    return Change(**values)


@pytest.mark.parametrize(
    ("rule", "event", "fires"),
    [
        (RuleSpec("audit_result", ("reject",)), {"field": "audit_result", "new_value": "reject"}, True),
        (RuleSpec("audit_result", ("reject",)), {"field": "audit_result", "new_value": "pass"}, False),
        (RuleSpec("audit_result", ("reject",)), {"field": "state", "new_value": "reject"}, False),
        (RuleSpec("state"), {"field": "state", "new_value": "A"}, True),  # no values: any change
        (RuleSpec("state", ("A",), cust_space_id="space-1"), {"field": "state", "new_value": "A"}, True),
        (RuleSpec("state", ("A",), cust_space_id="space-2"), {"field": "state", "new_value": "A"}, False),
        (RuleSpec("state", (), request_type="viberUpdate"), {"field": "state", "new_value": "A"}, False),
        (RuleSpec("state", (), request_type="viberOpen"), {"field": "state", "new_value": "A"}, True),
    ],
)
def test_rule_matching(rule, event, fires):
    assert rule_matches(rule, cust_space_id="space-1", request_type="viberOpen", **event) is fires


def test_rule_values_are_parsed_from_a_comma_list():
    assert parse_values(" pass, reject ,pass\nA ") == ["pass", "reject", "A"]


def test_the_event_payload_is_versioned_and_carries_the_change():
    payload = change_payload(_change())
    assert payload["type"] == "application.audit_result_changed" and payload["version"] == 1
    data = payload["data"]
    assert (data["request_no"], data["cust_space_id"], data["old_value"], data["new_value"]) == (
        "7001",
        "space-1",
        "auditing",
        "reject",
    )
    assert data["cams_times"]["gmt_create"] == AT.isoformat() and data["url"].endswith("/applications/7001/")
    assert _change(field="state").event_type == "application.state_changed"
    assert "7001" in _change().summary and "Rejected" in _change().summary


def test_standard_webhooks_signature_verifies_with_the_reference_library():
    secret = signing.new_secret()
    assert signing.is_valid_secret(secret) and secret.startswith("whsec_")
    body = json.dumps(change_payload(_change())).encode()
    now = int(datetime.now(UTC).timestamp())
    headers = signing.webhook_headers([secret], message_id="msg_1", timestamp=now, body=body)
    assert Webhook(secret).verify(body, headers)["data"]["request_no"] == "7001"
    with pytest.raises(WebhookVerificationError):
        Webhook(signing.new_secret()).verify(body, headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(body + b" ", headers)


def test_during_a_rotation_both_secrets_verify():
    old, new = signing.new_secret(), signing.new_secret()
    body = b'{"type":"notification.test"}'
    now = int(datetime.now(UTC).timestamp())
    headers = signing.webhook_headers([new, old], message_id="msg_2", timestamp=now, body=body)
    assert len(headers["webhook-signature"].split(" ")) == 2
    Webhook(old).verify(body, headers)
    Webhook(new).verify(body, headers)


def test_dingtalk_signature_follows_its_published_algorithm():
    secret, ts = "SEC0123456789abcdef", 1700000000123
    url, body = robots.build_dingtalk(
        "https://oapi.dingtalk.com/robot/send?access_token=abc", secret, change_payload(_change()), now_ms=ts
    )
    query = parse_qs(urlsplit(url).query)
    assert query["access_token"] == ["abc"] and query["timestamp"] == [str(ts)]
    expected = base64.b64encode(
        hmac.new(secret.encode("utf-8"), f"{ts}\n{secret}".encode(), hashlib.sha256).digest()
    ).decode()
    assert query["sign"] == [expected]  # parse_qs undoes the URL encoding
    assert unquote_plus(robots.dingtalk_sign(secret, ts)) == expected
    assert body["msgtype"] == "markdown" and "7001" in body["markdown"]["text"]
    assert "](http://review.example/applications/7001/)" in body["markdown"]["text"]


def test_feishu_signature_follows_its_published_algorithm():
    secret, ts = "feishu-secret", 1700000000
    _, body = robots.build_feishu(
        "https://open.feishu.cn/open-apis/bot/v2/hook/x", secret, change_payload(_change()), now_s=ts
    )
    key = f"{ts}\n{secret}".encode()
    expected = base64.b64encode(hmac.new(key, msg=b"", digestmod=hashlib.sha256).digest()).decode()
    assert body["timestamp"] == str(ts) and body["sign"] == expected
    assert "7001" in body["card"]["elements"][0]["content"]


def test_wecom_and_slack_carry_no_signature_and_link_back():
    url, body = robots.build_wecom("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=K", change_payload(_change()))
    assert url.endswith("key=K") and set(body) == {"msgtype", "markdown"} and "7001" in body["markdown"]["content"]
    _, body = robots.build_slack("https://hooks.slack.com/services/T/B/X", change_payload(_change()))
    assert set(body) == {"text"} and "<http://review.example/applications/7001/|" in body["text"]


def test_robot_errors_in_a_200_body_are_failures():
    assert robots.robot_error("dingtalk", {"errcode": 310000, "errmsg": "sign not match"})
    assert robots.robot_error("feishu", {"code": 19021, "msg": "sign match fail"})
    assert not robots.robot_error("wecom", {"errcode": 0, "errmsg": "ok"})


def test_message_lines_keep_hostile_text_as_text():
    title, lines, url = message_lines(change_payload(_change()))
    assert "Acme <b>Foods</b>" in lines[0] and url.startswith("http://review.example")


def _resolver_to(*addresses):
    def resolve(host, port, type=0):
        return [
            (socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port)) for a in addresses
        ]

    return resolve


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("https://127.0.0.1/hook", "loopback"),
        ("https://10.1.2.3/hook", "private"),
        ("https://169.254.169.254/latest/meta-data/", "metadata"),
        ("https://[::1]/hook", "loopback"),
        ("https://localhost/hook", "loopback"),  # a name that resolves privately
        ("http://93.184.216.34/hook", "https"),
        ("ftp://example.com/x", "https"),
        ("https://user:pw@93.184.216.34/", "credentials"),
    ],
)
def test_the_ssrf_guard_refuses_internal_targets(url, why):
    with pytest.raises(UnsafeTarget, match=why):
        resolve_target(url)


def test_the_ssrf_guard_checks_every_address_a_name_resolves_to():
    with pytest.raises(UnsafeTarget, match="private"):
        resolve_target("https://hooks.example.com/x", resolver=_resolver_to("93.184.216.34", "192.168.0.5"))
    with pytest.raises(UnsafeTarget, match="loopback"):
        resolve_target("https://hooks.example.com/x", resolver=_resolver_to("::ffff:127.0.0.1"))
    target = resolve_target("https://hooks.example.com:8443/x?k=1", resolver=_resolver_to("93.184.216.34"))
    assert (target.address, target.host, target.port, target.path) == (
        "93.184.216.34",
        "hooks.example.com",
        8443,
        "/x?k=1",
    )


def test_the_local_testing_setting_allows_loopback_but_never_metadata():
    assert resolve_target("http://127.0.0.1:9/hook", allow_private=True).address == "127.0.0.1"
    with pytest.raises(UnsafeTarget, match="metadata"):
        resolve_target("http://169.254.169.254/", allow_private=True)
