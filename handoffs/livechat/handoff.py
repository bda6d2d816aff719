"""Handing a chat to a rep: the customer's contact, one conversation, the transcript kept whole.

The door is `deliver()`, called by handoffs.delivery.deliver for sessions whose target is
live_chat. Exactly one conversation per session: its id is stored the moment it is known and a
later attempt never asks again; an attempt whose answer was lost asks with the same customerid
(the OpenCX session id), and the Messaging API answers the active conversation (isNew false).
Reference: https://learn.microsoft.com/en-us/dynamics365/contact-center/extend/api/api-conversation-create
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from handoffs.delivery import customers
from handoffs.delivery.writer import Delivered
from handoffs.dynamics import contacts
from handoffs.dynamics.client import record_url
from handoffs.dynamics.protocol import DataverseApi
from handoffs.dynamics.schema import OrgSchema
from handoffs.dynamics.transport import ExchangeHook
from handoffs.errors import HandoffError
from handoffs.lifecycle import queueing
from handoffs.livechat import conversations
from handoffs.livechat.client import MessagingClient, client_for
from handoffs.livechat.models import LiveChatChannel
from handoffs.livechat.plan import LiveChatPlan, plan_live_chat
from handoffs.livechat.relay import inbox
from handoffs.models import DynamicsConnection, HandoffEvent, HandoffSession

logger = logging.getLogger(__name__)


def messaging_recorder(session: HandoffSession) -> ExchangeHook:
    """An on_exchange hook writing one messaging_call event per HTTP exchange."""

    def record(
        method: str, path: str, status: int | None, duration_ms: int, error_code: str | None
    ) -> None:
        HandoffEvent.objects.create(
            session=session,
            kind=HandoffEvent.Kind.MESSAGING_CALL,
            detail={
                "method": method,
                "path": path,
                "status": status,
                "duration_ms": duration_ms,
                "error_code": error_code,
            },
        )

    return record


def configured_channel(session: HandoffSession) -> LiveChatChannel:
    channel = LiveChatChannel.objects.filter(tenant_id=session.tenant_id).first()
    if channel is None or not channel.is_complete:
        raise HandoffError("live_chat_not_configured")
    return channel


def remember_conversation(session: HandoffSession, conversation_id: str, contact: str | None):
    """Store the conversation on the session at once, before anything else can fail.

    Then whatever waited for it moves: customer messages that arrived during the handoff, and
    activities Dynamics sent before the id was stored.
    """
    fields = {
        "dynamics365_chat_id": conversation_id,
        "dynamics365_contact_id": contact,
        "target": HandoffSession.Target.LIVE_CHAT,
    }
    HandoffSession.objects.filter(pk=session.pk).update(**fields)
    # The customer may have ended the chat (through OpenCX) before it was opened.
    HandoffSession.objects.filter(pk=session.pk, live_chat_state="").update(
        live_chat_state=HandoffSession.LiveChatState.WAITING
    )
    session.refresh_from_db(fields=["live_chat_state"])
    for name, value in fields.items():
        setattr(session, name, value)
    inbox.adopt(session)
    if session.customer_messages.exists():
        queueing.queue_customer_messages(session.pk)


def open_conversation(
    messaging: MessagingClient, session: HandoffSession, plan: LiveChatPlan, contact: str | None
) -> str:
    """The session's conversation: the one stored, else the one the Messaging API starts."""
    if session.dynamics365_chat_id:
        return str(session.dynamics365_chat_id)
    started = conversations.start(messaging, plan.body)
    if not started.is_new:
        # A previous attempt started it and its answer was lost: the same conversation.
        logger.info("handoff %s found its active conversation again", session.pk)
    remember_conversation(session, started.conversation_id, contact)
    return started.conversation_id


def keep_transcript(api: DataverseApi, note: Mapping[str, Any]) -> None:
    """Create the transcript note; a repeat (412, same annotationid) is the same note."""
    try:
        api.post("annotations", note)
    except HandoffError as error:
        if error.code != "dataverse_duplicate_record":
            raise


def deliver(
    api: DataverseApi, session: HandoffSession, connection: DynamicsConnection
) -> Delivered:
    """Open the session's live chat in Dynamics 365 (safe to repeat: one conversation)."""
    channel = configured_channel(session)
    customer = customers.resolve(api, session, connection)
    if customer.new_fields is not None:
        # A chat has no Dataverse record to nest a new contact in: it is created on its own.
        contacts.create(api, customer.id, customer.new_fields)
    customers.remember(session.tenant_id, customer)
    if customer.anonymous:
        connection.remember_anonymous_contact(customer.id)
    plan = plan_live_chat(session, customer, OrgSchema.from_stored(connection.dataverse_schema))
    messaging = client_for(channel, connection).audited(messaging_recorder(session))
    conversation_id = open_conversation(messaging, session, plan, customer.contact_id)
    if plan.note is not None:
        keep_transcript(api, plan.note)
    # Microsoft documents no link that opens a Messaging API conversation: the link opens the
    # customer's record instead (the contact, or the fallback account).
    url = record_url(api.environment_url, customer.entity, customer.id)
    return Delivered(HandoffSession.Target.LIVE_CHAT, conversation_id, "", customer.contact_id, url)
