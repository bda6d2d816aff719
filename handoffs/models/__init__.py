"""The domain's tables: tenants and their connection, sessions and their audit, the outbox."""

from __future__ import annotations

# The live-chat channel's model lives with its package; imported here so Django registers it.
from handoffs.livechat.models import LiveChatChannel  # noqa: E402
from handoffs.livechat.relay.models import CustomerMessage, RepActivity  # noqa: E402
from handoffs.models.casetracking import CaseTracking
from handoffs.models.outbox import OutboundEvent, SentSignature
from handoffs.models.rollups import SessionRollup
from handoffs.models.sessions import HandoffEvent, HandoffSession
from handoffs.models.tenants import (
    ContactLink,
    DynamicsConnection,
    Membership,
    Tenant,
    new_webhook_key,
    new_webhook_secret,
    validate_callback_url,
)
from handoffs.models.tokens import SharedTokenCache

__all__ = [
    "LiveChatChannel",
    "ContactLink",
    "CaseTracking",
    "CustomerMessage",
    "DynamicsConnection",
    "HandoffEvent",
    "HandoffSession",
    "Membership",
    "OutboundEvent",
    "RepActivity",
    "SentSignature",
    "SessionRollup",
    "SharedTokenCache",
    "Tenant",
    "new_webhook_key",
    "new_webhook_secret",
    "validate_callback_url",
]
