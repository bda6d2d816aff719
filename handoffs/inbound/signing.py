"""The OpenCX signature scheme, shared by the webhook, the status endpoint and callbacks.

Callbacks are signed like webhooks (one scheme, one secret, as OpenCX verifies them); every
signature this service sends is remembered (signature_digest), and the webhook refuses it, so a
captured callback can never be played back in as a handoff.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import time
from collections.abc import Iterable

SIGNATURE_HEADER = "X-OpenCX-Signature"
TIMESTAMP_HEADER = "X-OpenCX-Timestamp"
TOLERANCE_SECONDS = 300
# Unix seconds in ASCII digits; 15 digits outlast any clock, and bound the number compared.
UNIX_SECONDS = re.compile(r"-?[0-9]{1,15}")


class SignatureError(Exception):
    """A request's signature is missing, wrong or too old; `code` is the public error code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def sign(secret: str, timestamp: str, message: bytes) -> str:
    """Return the header value `v1=<hex>` for `"<timestamp>." + message`."""
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + message, hashlib.sha256)
    return "v1=" + digest.hexdigest()


def signed_headers(secret: str, message: bytes, now: float | None = None) -> dict[str, str]:
    """Headers that sign `message` now."""
    timestamp = str(int(time.time() if now is None else now))
    return {TIMESTAMP_HEADER: timestamp, SIGNATURE_HEADER: sign(secret, timestamp, message)}


def signature_digest(timestamp: str, signature: str) -> str:
    """A fingerprint of one signed request's signature headers."""
    return hashlib.sha256(f"{timestamp.strip()}:{signature.strip()}".encode()).hexdigest()


def verify(
    secrets: Iterable[str],
    timestamp: str | None,
    signature: str | None,
    messages: Iterable[bytes],
    now: float | None = None,
) -> None:
    """Raise SignatureError unless one secret signed one of the messages within the window."""
    if not timestamp or not signature:
        raise SignatureError(
            "missing_signature",
            f"Send both {TIMESTAMP_HEADER} (unix seconds) and {SIGNATURE_HEADER} (v1=<hex>).",
        )
    if not UNIX_SECONDS.fullmatch(timestamp.strip()):
        raise SignatureError(
            "stale_timestamp",
            f"{TIMESTAMP_HEADER} must be unix seconds in digits, e.g. 1764000000.",
        )
    sent_at = int(timestamp)
    current = time.time() if now is None else now
    if abs(current - sent_at) > TOLERANCE_SECONDS:
        raise SignatureError(
            "stale_timestamp",
            f"{TIMESTAMP_HEADER} is more than {TOLERANCE_SECONDS} seconds from the server's "
            "clock: sign each request when you send it and check the sender's clock.",
        )
    # Bytes, not str: compare_digest refuses non-ASCII text, and a header may carry any byte.
    candidate = signature.strip().encode("utf-8", "surrogateescape")
    for secret in secrets:
        for message in messages:
            if hmac.compare_digest(sign(secret, timestamp, message).encode(), candidate):
                return
    raise SignatureError(
        "invalid_signature",
        f"{SIGNATURE_HEADER} does not match: it must be v1=hex(HMAC-SHA256(secret, "
        '"<timestamp>." + raw body)) made with this webhook\'s signing secret.',
    )
