"""Keeping each activity Dynamics posts once, and handing it to the worker.

Reference: https://learn.microsoft.com/en-us/dynamics365/contact-center/extend/api/api-conversation-webhook
Dynamics retries a delivery up to three times (ten seconds each), so the same activity may come
again. An activity with an `id` is the same activity whenever that id comes again. Microsoft's
samples carry no id, though: then a SHA-256 of the whole activity (its exact JSON, keys sorted)
stands for it, and the same digest within DEDUPE_WINDOW of the first is a repeat. Outside the
window the same content is a new activity (a rep may well write "ok" twice).
"""

from __future__ import annotations

import hashlib
import json
import logging
import uuid
from datetime import timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from handoffs.lifecycle import queueing
from handoffs.livechat import activities
from handoffs.livechat.relay.models import RepActivity
from handoffs.models import HandoffEvent, HandoffSession, Tenant

logger = logging.getLogger(__name__)
# Three retries of ten seconds plus whatever Microsoft waits between them (not documented).
DEDUPE_WINDOW = timedelta(minutes=2)


def dedupe_key(body: dict[str, Any], activity: dict[str, Any]) -> str:
    """`id:<id>` for an activity that has one, else `sha256:<digest of its JSON>`."""
    if activity.get("id"):
        return f"id:{activity['id']}"[:300]
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest()


def _seen(tenant: Tenant, conversation: uuid.UUID, key: str) -> bool:
    earlier = RepActivity.objects.filter(
        tenant=tenant, conversation_id=conversation, dedupe_key=key
    )
    if key.startswith("sha256:"):
        earlier = earlier.filter(received_at__gte=timezone.now() - DEDUPE_WINDOW)
    return earlier.exists()


def _store(
    tenant: Tenant, session: HandoffSession | None, conversation: uuid.UUID, body: dict
) -> RepActivity | None:
    activity = activities.normalised(body)
    key = dedupe_key(body, activity)
    if session is not None:
        # Repeats of one conversation are decided one at a time.
        HandoffSession.objects.select_for_update().filter(pk=session.pk).first()
    if _seen(tenant, conversation, key):
        return None
    item = RepActivity.objects.create(
        tenant=tenant,
        session=session,
        conversation_id=conversation,
        dedupe_key=key,
        activity=activity,
        outcome="" if session else "unknown conversation",
    )
    if session is not None:
        HandoffEvent.objects.create(
            session=session, kind=HandoffEvent.Kind.DYNAMICS_ACTIVITY, detail=activity
        )
        queueing.queue_rep_activities(session.pk, after_commit=True)
    return item


def receive(tenant: Tenant, conversation: uuid.UUID, body: dict) -> RepActivity | None:
    """Keep a new activity and queue its relay; None when it is a repeat."""
    session = HandoffSession.objects.filter(tenant=tenant, dynamics365_chat_id=conversation).first()
    try:
        with transaction.atomic():
            item = _store(tenant, session, conversation, body)
    except IntegrityError:
        return None  # the same id, stored by a concurrent delivery
    if item is not None and session is None:
        # Kept: the handoff that opened it may not have stored its id yet (adopt() below).
        logger.info("live chat activity for unknown conversation %s kept", conversation)
    return item


def adopt(session: HandoffSession) -> int:
    """Give a session the activities that came before it knew its conversation; queue them."""
    if not session.dynamics365_chat_id:
        return 0
    orphans = RepActivity.objects.filter(
        tenant_id=session.tenant_id, conversation_id=session.dynamics365_chat_id, session=None
    )
    adopted = 0
    for item in orphans.order_by("received_at", "id"):
        item.session, item.outcome = session, ""
        item.save(update_fields=["session", "outcome"])
        HandoffEvent.objects.create(
            session=session, kind=HandoffEvent.Kind.DYNAMICS_ACTIVITY, detail=item.activity
        )
        adopted += 1
    if adopted:
        queueing.queue_rep_activities(session.pk)
    return adopted
