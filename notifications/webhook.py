"""The signed webhook: one site-wide URL (settings ``LONTAR_WEBHOOK_URL``) that receives, as JSON,
the notices of the people who chose this channel.

Each request carries::

    X-Lontar-Timestamp: <unix seconds>
    X-Lontar-Signature: sha256=<hex of HMAC-SHA256(secret, "<timestamp>." + raw body)>
    X-Lontar-Delivery: <delivery id>   (the same on every retry: receivers drop repeats by it)

The receiver recomputes the HMAC over the raw bytes it received and refuses a timestamp older than
a few minutes, so a captured request cannot be replayed later. ``verify`` does exactly that and is
what a receiver written in Python can use.

A site-wide URL rather than one per person: the address is set by whoever runs the server, so no
user can make Lontar send requests to an address of their choosing (inside the office network, for
instance), and there is one secret to keep rather than one per account.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.request

SIGNATURE_HEADER = "X-Lontar-Signature"
TIMESTAMP_HEADER = "X-Lontar-Timestamp"
DELIVERY_HEADER = "X-Lontar-Delivery"
DEFAULT_TOLERANCE_SECONDS = 300


def signature(secret: str, timestamp: int | str, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"sha256={mac.hexdigest()}"


def verify(
    secret: str,
    *,
    body: bytes,
    timestamp: str | None,
    signature_header: str | None,
    now: float | None = None,
    tolerance: int = DEFAULT_TOLERANCE_SECONDS,
) -> bool:
    """True when the request was signed with ``secret`` within ``tolerance`` seconds of ``now``."""
    if not secret or not timestamp or not signature_header:
        return False
    try:
        sent_at = int(timestamp)
    except ValueError:
        return False
    if abs((time.time() if now is None else now) - sent_at) > tolerance:
        return False
    return hmac.compare_digest(signature(secret, sent_at, body), signature_header)


def payload(notification, *, delivery_id: int, base_url: str) -> bytes:
    recipient = notification.recipient
    data = {
        "delivery": delivery_id,
        "notification": notification.pk,
        "kind": notification.kind,
        "title": notification.title,
        "message": notification.message,
        "url": f"{base_url}{notification.url}" if notification.url else "",
        "created_at": notification.created_at.isoformat(),
        "recipient": {
            "username": recipient.get_username(),
            "name": recipient.get_full_name(),
            "email": recipient.email,
        },
    }
    return json.dumps(data, ensure_ascii=False, sort_keys=True).encode()


def post(url: str, secret: str, body: bytes, *, delivery_id: int, timeout: float) -> int:
    """POST ``body`` signed now; returns the HTTP status, raises on a network error or non-2xx."""
    if not url.startswith(("https://", "http://")):
        raise ValueError("LONTAR_WEBHOOK_URL must be an http(s) URL")
    timestamp = int(time.time())
    request = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "Lontar-Webhook/1",
            TIMESTAMP_HEADER: str(timestamp),
            SIGNATURE_HEADER: signature(secret, timestamp, body),
            DELIVERY_HEADER: str(delivery_id),
        },
    )
    # urlopen raises HTTPError for 4xx/5xx, so anything that returns was accepted.
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (URL from settings)
        return response.status
