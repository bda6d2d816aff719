"""Delivering activities to the channel's webhook, in order per conversation, with retries.

Reference: https://learn.microsoft.com/en-us/dynamics365/contact-center/extend/api/api-conversation-webhook
POST {msdyn_webhookurl}/v3/conversations/{conversationId}/activities with a bearer token,
ten seconds per attempt, three retries; the page expects 200 (any 2xx ends it here, inferred).
The wait between attempts is not documented: the org's retry_backoff_ms, doubled each time.

Delivery runs right after the rep's action commits, in the acting process, so a page or
`sandbox_rep` returns once the product has the activity (or the attempts are spent). This is
the only sandbox module that talks HTTP to the outside.
"""

from __future__ import annotations

import logging
import time
from datetime import timedelta

import requests
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from dataverse_sandbox.messaging import keys
from dataverse_sandbox.messaging.channel import CHANNEL_TABLE, faults_for, settings_for
from dataverse_sandbox.messaging.facts import WEBHOOK_TIMEOUT_SECONDS
from dataverse_sandbox.messaging.models import Conversation, Delivery, DeliveryAttempt
from dataverse_sandbox.models import Record

logger = logging.getLogger(__name__)
STALE_CLAIM = timedelta(minutes=2)  # a sender that died mid-delivery
_session = requests.Session()


def activities_url(webhook_url: str, conversation_id: object) -> str:
    # The docs write "{webhook_url}/v3/…"; a trailing slash on the base is not doubled (inferred).
    return f"{webhook_url.rstrip('/')}/v3/conversations/{conversation_id}/activities"


def enqueue(conversation: Conversation, label: str, body: dict, webhook_url: str) -> Delivery:
    """Queue one activity; it is sent once the surrounding transaction commits."""
    delivery = Delivery.objects.create(
        org_id=conversation.org_id,
        conversation=conversation,
        label=label,
        url=activities_url(webhook_url, conversation.id) if webhook_url else "",
        body=body,
    )
    transaction.on_commit(lambda: deliver(conversation.id))
    return delivery


def _next(conversation_id: object) -> Delivery | None:
    stale = timezone.now() - STALE_CLAIM
    waiting = Delivery.objects.filter(conversation_id=conversation_id).filter(
        Q(state=Delivery.PENDING) | Q(state=Delivery.SENDING, claimed_at__lt=stale)
    )
    first = waiting.order_by("id").first()
    if first is None:
        return None
    busy = Delivery.objects.filter(
        conversation_id=conversation_id,
        state=Delivery.SENDING,
        claimed_at__gte=stale,
        id__lt=first.id,
    )
    return None if busy.exists() else first


def deliver(conversation_id: object) -> None:
    """Send the conversation's queued activities, oldest first, one at a time."""
    while (delivery := _next(conversation_id)) is not None:
        claimed = Delivery.objects.filter(
            pk=delivery.pk, state=delivery.state, claimed_at=delivery.claimed_at
        ).update(state=Delivery.SENDING, claimed_at=timezone.now())
        if claimed:
            _send(delivery)


def _send(delivery: Delivery) -> None:
    org = delivery.org
    chosen = settings_for(org)
    if not delivery.url:
        _attempt(delivery, 1, None, "The channel has no msdyn_webhookurl.", 0)
        return _finish(delivery, Delivery.FAILED)
    channel = Record.objects.filter(
        org=org, entity=CHANNEL_TABLE, record_id=delivery.conversation.channel_id
    ).first()
    data = channel.data if channel else {}
    for number in range(1, chosen.webhook_attempts + 1):
        token = keys.webhook_token(
            org, chosen, str(data.get("msdyn_appid", "")), str(data.get("msdyn_tenantid", ""))
        )
        if _post(delivery, number, token):
            if faults_for(org).duplicate_deliveries:
                _post(delivery, number + 1, token, duplicate=True)
            return _finish(delivery, Delivery.DELIVERED)
        if number < chosen.webhook_attempts:
            time.sleep(chosen.retry_backoff_ms * 2 ** (number - 1) / 1000)
    _finish(delivery, Delivery.FAILED)


def _post(delivery: Delivery, number: int, token: str, *, duplicate: bool = False) -> bool:
    started = time.monotonic()
    status, error = None, ""
    try:
        response = _session.post(
            delivery.url,
            json=delivery.body,
            headers={"Authorization": f"Bearer {token}"},
            timeout=WEBHOOK_TIMEOUT_SECONDS,
            allow_redirects=False,
        )
        status = response.status_code
    except requests.RequestException as exc:
        # The class name only: the URL may hold the receiver's own key.
        error = type(exc).__name__
    elapsed = int((time.monotonic() - started) * 1000)
    _attempt(delivery, number, status, error, elapsed, duplicate=duplicate)
    return status is not None and 200 <= status < 300


def _attempt(
    delivery: Delivery,
    number: int,
    status: int | None,
    error: str,
    duration_ms: int,
    *,
    duplicate: bool = False,
) -> None:
    DeliveryAttempt.objects.create(
        delivery=delivery,
        number=number,
        status=status,
        error=error,
        duration_ms=duration_ms,
        duplicate=duplicate,
    )
    Delivery.objects.filter(pk=delivery.pk).update(
        attempts=number, last_status=status, last_error=error
    )
    if status is None or status >= 300:
        logger.info("sandbox webhook: %s attempt %s → %s", delivery.label, number, status or error)


def _finish(delivery: Delivery, state: str) -> None:
    Delivery.objects.filter(pk=delivery.pk).update(state=state, finished_at=timezone.now())
