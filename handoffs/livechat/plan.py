"""Plan a live chat: the conversation/create body and, for a long transcript, its note.

Pure: decided from the session and the customer, without I/O (the handoff module sends it).
Reference: https://learn.microsoft.com/en-us/dynamics365/contact-center/extend/api/api-conversation-create
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from handoffs import channels
from handoffs.delivery import text
from handoffs.delivery.plan import Customer, frozen, note
from handoffs.dynamics import contacts
from handoffs.dynamics.schema import NOTE, OrgSchema, entity_set
from handoffs.livechat import facts
from handoffs.models import HandoffSession

START_DISPLAY_NAME = "OpenCX AI agent"
# Context variable names: what a workstream's routing rules and the rep's summary refer to.
CHANNEL, CLASSIFICATION, SENTIMENT = "channel", "classification", "sentiment"
SESSION_ID, CONTACT_ID = "opencx_session_id", "dynamics_contact_id"


@dataclass(frozen=True)
class LiveChatPlan:
    """The create body, and the note that keeps a transcript too long for the start message."""

    body: Mapping[str, Any]
    note: Mapping[str, Any] | None = None


def utf8_size(value: str) -> int:
    return len(value.encode("utf-8"))


def cut_to_bytes(head: str, lines: list[str], limit: int, pointer: str) -> tuple[str, bool]:
    """(text, cut): `head` and the whole lines that fit in `limit` UTF-8 bytes, then `pointer`."""
    whole = "\n".join([head, *lines])
    cut = text.cut_at_line(head, lines, limit, pointer, measure=utf8_size)
    return cut, cut != whole


def customer_context(session: HandoffSession) -> dict[str, str]:
    """Who the rep talks to; customerid is the OpenCX session (one active chat per session)."""
    given = text.customer_given(session)
    first, last = contacts.split_name(given["name"]) if given["name"] else ("", "")
    fields = {
        "customerid": session.session_id,
        "firstname": first,
        "lastname": last,
        "preferredname": given["name"] or given["email"] or given["phone"],
        "email": given["email"],
        "phonenumber": given["phone"],
    }
    limit = facts.CUSTOMER_FIELD_MAX
    return {key: text.clip(value, limit) for key, value in fields.items() if value}


def _variable(value: str, displayable: bool) -> dict[str, Any]:
    # Reference: https://learn.microsoft.com/en-us/dynamics365/customer-service/develop/reference/methods/setcontextprovider
    return {"isDisplayable": displayable, "value": text.clip(value, text.HEADER_VALUE_LIMIT)}


def conversation_context(session: HandoffSession, customer: Customer) -> dict[str, Any]:
    """The three header values a rep reads, and the ids routing rules and integrations use."""
    payload = session.payload
    context = {
        CHANNEL: _variable(channels.label(session.channel), True),
        CLASSIFICATION: _variable(
            text.one_line(payload.get("classification")) or text.UNSPECIFIED_CLASSIFICATION, True
        ),
        SENTIMENT: _variable(
            text.one_line(payload.get("sentiment")) or text.UNKNOWN_SENTIMENT, True
        ),
        SESSION_ID: _variable(session.session_id, False),
    }
    if customer.contact_id:
        context[CONTACT_ID] = _variable(customer.contact_id, False)
    return context


def pointer(subject: str, entity: str) -> str:
    return f"[Cut to fit. The full transcript is in the note “{subject}” on the {entity}.]"


def start_message(session: HandoffSession, customer: Customer, schema: OrgSchema):
    """(the start message text, cut or not): header and transcript within the size limit."""
    subject = text.note_subject(session, schema.limit(NOTE, "subject"))
    return cut_to_bytes(
        text.header(session),
        text.body_lines(session),
        facts.START_MESSAGE_MAX_BYTES,
        pointer(subject, customer.entity),
    )


def transcript_note(session: HandoffSession, customer: Customer, schema: OrgSchema) -> dict:
    """The whole transcript as a note on the customer (annotationid fixed: written once)."""
    bind = f"{facts.NOTE_ON[customer.entity]}@odata.bind"
    return {**note(session, schema), bind: f"/{entity_set(customer.entity)}({customer.id})"}


def plan_live_chat(session: HandoffSession, customer: Customer, schema: OrgSchema) -> LiveChatPlan:
    """Everything this live chat sends, decided from the session and its customer."""
    message, cut = start_message(session, customer, schema)
    body = {
        "customercontext": customer_context(session),
        "conversationcontext": conversation_context(session, customer),
        "conversationrequestid": str(session.record_id),
        "startmessage": {"message": message, "displayname": START_DISPLAY_NAME},
        "skipdeflectionbot": True,
    }
    kept = transcript_note(session, customer, schema) if cut else None
    return LiveChatPlan(frozen(body), frozen(kept) if kept else None)
