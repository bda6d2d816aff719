"""The domain's tables: tenants and their connection, sessions and their audit, the outbox."""

from __future__ import annotations

from handoffs.models.casetracking import CaseTracking
from handoffs.models.outbox import OutboundEvent, SentSignature
from handoffs.models.sessions import HandoffEvent, HandoffSession
from handoffs.models.tenants import (
    DynamicsConnection,
    Membership,
    Tenant,
    new_webhook_key,
    new_webhook_secret,
    validate_callback_url,
)

__all__ = [
    "CaseTracking",
    "DynamicsConnection",
    "HandoffEvent",
    "HandoffSession",
    "Membership",
    "OutboundEvent",
    "SentSignature",
    "Tenant",
    "new_webhook_key",
    "new_webhook_secret",
    "validate_callback_url",
]
