"""Telling OpenCX what happened: signed POSTs to the tenant's callback URL, in order per session.

`record()` stores an event in the same transaction as the change it reports and queues the
sender; `send_pending()` delivers a session's events oldest first, one at a time, retrying with
backoff until the receiver answers 2xx (or the event grows too old, which is audited). Every
attempt leaves a HandoffEvent. See docs/architecture.md, "How a handoff flows", step 5.
"""

from __future__ import annotations

import json
import logging
import uuid
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from handoffs.inbound.signing import (
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    TOLERANCE_SECONDS,
    signature_digest,
    signed_headers,
)
from handoffs.lifecycle import backoff, queueing
from handoffs.models import HandoffEvent, HandoffSession, OutboundEvent, SentSignature
from handoffs.outbound import http, policy

logger = logging.getLogger(__name__)
LEASE = timedelta(seconds=60)
EVENT_HEADER = "X-OpenCX-Event"
EVENT_ID_HEADER = "X-OpenCX-Event-Id"


def record(
    session: HandoffSession, name: str, body: dict[str, Any], *, event_id: uuid.UUID | None = None
) -> OutboundEvent | None:
    """Keep an event for the tenant's callback URL (none without one) and queue its delivery."""
    # `event_id`: the id the body already announces, when it carries one (the header repeats it).
    if not session.tenant.callback_url:
        return None
    with transaction.atomic():
        # The session row's lock makes sequence numbers of concurrent recorders distinct.
        HandoffSession.objects.select_for_update().filter(pk=session.pk).first()
        last = session.outbound_events.aggregate(last=Max("sequence"))["last"] or 0
        event = OutboundEvent.objects.create(
            session=session,
            sequence=last + 1,
            name=name,
            body=body,
            event_id=event_id or uuid.uuid4(),
        )
        queueing.queue_events(session.pk, after_commit=True)
    return event


def _where(url: str) -> str:
    # Host and path only: a query string or a user:password@ may carry the receiver's token.
    parts = urlsplit(url)
    host = parts.netloc.rpartition("@")[2]
    return f"{parts.scheme}://{host}{parts.path}"


def remember_signature(headers: dict[str, str]) -> None:
    """Note a signature we sent, so the webhook refuses it if a callback is played back."""
    digest = signature_digest(headers[TIMESTAMP_HEADER], headers[SIGNATURE_HEADER])
    expires = timezone.now() + timedelta(seconds=2 * TOLERANCE_SECONDS)
    SentSignature.objects.get_or_create(digest=digest, defaults={"expires_at": expires})


def _post(url: str, secret: str, event: OutboundEvent) -> tuple[int | None, int, str]:
    """(status, duration_ms, problem) of one signed POST of the event's body."""
    refused = policy.callback_refusal(url)
    if refused:
        return None, 0, refused
    body = json.dumps(event.body, separators=(",", ":")).encode()
    headers = signed_headers(secret, body)
    remember_signature(headers)
    headers |= {EVENT_HEADER: event.name, EVENT_ID_HEADER: str(event.event_id)}
    try:
        response, exchange = http.post_json(
            "callbacks", url, body, headers, public_only=policy.callbacks_public_only()
        )
    except http.OutboundError as exc:
        return None, 0, exc.message
    if 200 <= response.status_code < 300:
        return response.status_code, exchange.duration_ms, ""
    return response.status_code, exchange.duration_ms, f"HTTP {response.status_code}"


def _claim(event: OutboundEvent) -> bool:
    """Take the event for one send; False when another sender holds it."""
    now = timezone.now()
    free = Q(sending_until__isnull=True) | Q(sending_until__lt=now)
    return bool(
        OutboundEvent.objects.filter(free, pk=event.pk, delivered_at__isnull=True).update(
            sending_until=now + LEASE, attempts=event.attempts + 1
        )
    )


def _audit(session: HandoffSession, event: OutboundEvent, kind: str, **detail: Any) -> None:
    HandoffEvent.objects.create(
        session=session,
        kind=kind,
        detail={
            "url": _where(session.tenant.callback_url),
            "event": event.name,
            "event_id": str(event.event_id),
            "attempt": event.attempts + 1,
            **detail,
        },
    )


def _failed(session: HandoffSession, event: OutboundEvent, problem: str, **detail: Any) -> None:
    now = timezone.now()
    give_up = now - event.created_at > timedelta(hours=settings.CALLBACK_MAX_AGE_HOURS)
    when = backoff.next_run(event.attempts + 1, cap=settings.CALLBACK_MAX_DELAY)
    OutboundEvent.objects.filter(pk=event.pk).update(
        sending_until=None,
        next_attempt_at=None if give_up else when,
        given_up_at=now if give_up else None,
        last_error=problem[:300],
    )
    _audit(
        session,
        event,
        HandoffEvent.Kind.CALLBACK_FAILED,
        error=problem,
        will_retry=not give_up,
        **detail,
    )
    logger.warning("callback %s for session %s failed: %s", event.name, session.pk, problem)
    if not give_up:
        queueing.schedule_events(session.pk, when)


def _send_one(session: HandoffSession, event: OutboundEvent) -> bool:
    """Deliver one event; True when it reached the receiver."""
    if not session.tenant.callback_url:
        _failed(session, event, "The tenant has no callback URL any more.")
        return False
    status, duration_ms, problem = _post(
        session.tenant.callback_url, session.tenant.webhook_secret, event
    )
    detail = {"status": status, "duration_ms": duration_ms}
    if event.name == OutboundEvent.STATUS:
        detail["session_status"] = event.body.get("status")
    if problem:
        _failed(session, event, problem, **detail)
        return False
    OutboundEvent.objects.filter(pk=event.pk).update(
        delivered_at=timezone.now(), sending_until=None, last_error=""
    )
    _audit(session, event, HandoffEvent.Kind.CALLBACK_SENT, **detail)
    if event.name == OutboundEvent.STATUS:
        HandoffSession.objects.filter(pk=session.pk).update(callback_delivered_at=timezone.now())
    return True


def next_pending(session: HandoffSession) -> OutboundEvent | None:
    """The session's oldest undelivered event (later ones wait behind it)."""
    pending = Q(delivered_at__isnull=True, given_up_at__isnull=True)
    return session.outbound_events.filter(pending).order_by("sequence").first()


def send_pending(session_pk: int) -> int:
    """Deliver the session's events in order until one fails or none is left; return how many."""
    session = HandoffSession.objects.select_related("tenant").filter(pk=session_pk).first()
    sent = 0
    while session is not None:
        event = next_pending(session)
        if event is None:
            break
        if event.next_attempt_at and event.next_attempt_at > timezone.now():
            break  # its retry is scheduled; later events wait behind it
        if not _claim(event) or not _send_one(session, event):
            break
        sent += 1
    return sent
