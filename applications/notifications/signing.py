"""Standard Webhooks signatures and secrets.

# Reference: https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md
Signed content is ``{webhook-id}.{webhook-timestamp}.{body}``, HMAC-SHA256 keyed by the base64
decoded part of the ``whsec_`` secret, sent as ``v1,<base64>``; several signatures (during a
secret rotation) are separated by spaces.
"""

import base64
import hashlib
import hmac
import secrets

PREFIX = "whsec_"
SECRET_BYTES = 32


def new_secret() -> str:
    return PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


def is_valid_secret(value: str) -> bool:
    if not value.startswith(PREFIX):
        return False
    try:
        return len(base64.b64decode(value[len(PREFIX) :], validate=True)) >= 24
    except ValueError:
        return False


def _key(secret: str) -> bytes:
    # Unpadded base64 is accepted, as the reference libraries do.
    return base64.b64decode(secret.removeprefix(PREFIX) + "==")


def signature(secret: str, *, message_id: str, timestamp: int, body: bytes) -> str:
    signed = f"{message_id}.{timestamp}.".encode() + body
    return "v1," + base64.b64encode(hmac.new(_key(secret), signed, hashlib.sha256).digest()).decode()


def webhook_headers(secrets_: list[str], *, message_id: str, timestamp: int, body: bytes) -> dict:
    """The three Standard Webhooks headers; one signature per secret still valid."""
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": " ".join(
            signature(s, message_id=message_id, timestamp=timestamp, body=body) for s in secrets_
        ),
    }
