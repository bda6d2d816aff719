"""The signed status callback to OpenCX: retried with backoff, each attempt audited."""

from __future__ import annotations

import json
import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone

from handoffs.inbound.signing import signed_headers
from handoffs.inbound.status import status_document
from handoffs.lifecycle import backoff, queueing
from handoffs.models import HandoffEvent, HandoffSession
from handoffs.outbound import http, policy

logger = logging.getLogger(__name__)
FINAL = (HandoffSession.Status.DONE, HandoffSession.Status.FAILED)


def queue_callback(session: HandoffSession) -> None:
    """Send the callback in the task worker, when the tenant has a callback URL."""
    if session.tenant.callback_url:
        queueing.queue_callback(session.pk)


def _where(url: str) -> str:
    # Host and path only: a query string or a user:password@ may carry the receiver's token.
    parts = urlsplit(url)
    host = parts.netloc.rpartition("@")[2]
    return f"{parts.scheme}://{host}{parts.path}"


def _post(session: HandoffSession) -> tuple[int | None, int, str]:
    """(status, duration_ms, problem) of one signed POST of the status document."""
    refused = policy.callback_refusal(session.tenant.callback_url)
    if refused:
        return None, 0, refused
    body = json.dumps(status_document(session), separators=(",", ":")).encode()
    headers = signed_headers(session.tenant.webhook_secret, body)
    try:
        response, exchange = http.post_json(
            "callbacks",
            session.tenant.callback_url,
            body,
            headers,
            public_only=policy.callbacks_public_only(),
        )
    except http.OutboundError as exc:
        return None, 0, exc.message
    if 200 <= response.status_code < 300:
        return response.status_code, exchange.duration_ms, ""
    return response.status_code, exchange.duration_ms, f"HTTP {response.status_code}"


def send(session_pk: int, attempt: int = 1) -> bool:
    """POST the status document once; schedule the next attempt on failure. True when delivered."""
    session = HandoffSession.objects.select_related("tenant").filter(pk=session_pk).first()
    if session is None or not session.tenant.callback_url or session.status not in FINAL:
        return False
    status, duration_ms, problem = _post(session)
    detail = {
        "url": _where(session.tenant.callback_url),
        "status": status,
        "duration_ms": duration_ms,
        "attempt": attempt,
        "session_status": session.status,
    }
    if not problem:
        HandoffEvent.objects.create(
            session=session, kind=HandoffEvent.Kind.CALLBACK_SENT, detail=detail
        )
        HandoffSession.objects.filter(pk=session.pk).update(callback_delivered_at=timezone.now())
        return True
    retry = attempt < settings.CALLBACK_MAX_ATTEMPTS
    detail.update(error=problem, will_retry=retry)
    HandoffEvent.objects.create(
        session=session, kind=HandoffEvent.Kind.CALLBACK_FAILED, detail=detail
    )
    logger.warning("callback for %s failed (attempt %s): %s", session, attempt, problem)
    if retry:
        queueing.schedule_callback(session.pk, attempt + 1, backoff.next_run(attempt))
    return False
