"""Build a session's record in Dynamics: a case, or an Omnichannel conversation, with its note.

Every id is the session's own (generated before the first call), so running this twice for the
same session never creates a second record: the second create answers 412 and is read back.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from handoffs import channels
from handoffs.delivery import customers
from handoffs.delivery import text as record_text
from handoffs.delivery.customers import Customer
from handoffs.dynamics import incidents, liveworkitems, notes, queues
from handoffs.dynamics.client import record_url
from handoffs.models import DynamicsConnection, HandoffSession

# Keys ticket_properties may not override: they carry the exactly-once id and the customer.
PROTECTED_KEYS = ("incidentid", "customerid", incidents.NOTES)


@dataclass(frozen=True)
class Delivered:
    """What landed in Dynamics."""

    target: str
    record_id: str
    ticket_number: str
    contact_id: str | None
    record_url: str


def target_for(session: HandoffSession, connection: DynamicsConnection) -> str:
    """'live_work_item' for chats when the org uses Omnichannel, else 'incident'."""
    chat_to_conversation = connection.chat_target == DynamicsConnection.ChatTarget.LIVE_WORK_ITEM
    if channels.BY_CODE[session.channel].chat and chat_to_conversation:
        return HandoffSession.Target.LIVE_WORK_ITEM
    return HandoffSession.Target.INCIDENT


def transcript_note(session: HandoffSession) -> dict[str, Any]:
    """The annotation with the full transcript (text, or an attached .txt beyond the limit)."""
    return notes.note_body(
        session.note_id,
        record_text.note_subject(session),
        record_text.full_text(session),
        session.session_id,
    )


def _ticket_properties(connection: DynamicsConnection) -> dict[str, Any]:
    properties = connection.ticket_properties or {}
    return {k: v for k, v in properties.items() if not k.startswith(PROTECTED_KEYS)}


def case_body(
    session: HandoffSession, connection: DynamicsConnection, customer: Customer
) -> dict[str, Any]:
    """The incident, with the transcript note deep-inserted so it costs no extra request."""
    body: dict[str, Any] = {
        "title": record_text.title(session),
        "description": record_text.description(session, record_text.CASE_DESCRIPTION_LIMIT),
        "caseorigincode": channels.BY_CODE[session.channel].case_origin,
    }
    if connection.default_priority is not None:
        body["prioritycode"] = connection.default_priority
    if connection.default_owner_id:
        body["ownerid@odata.bind"] = f"/systemusers({connection.default_owner_id})"
    body.update(_ticket_properties(connection))
    body["incidentid"] = str(session.record_id)
    body[f"customerid_{customer.entity}@odata.bind"] = customer.reference
    body[incidents.NOTES] = [transcript_note(session)]
    return body


def conversation_body(
    session: HandoffSession, connection: DynamicsConnection, customer: Customer
) -> dict[str, Any]:
    """The live work item, routed by the default workstream and queue."""
    description = record_text.description(session, record_text.CONVERSATION_DESCRIPTION_LIMIT)
    body: dict[str, Any] = {
        "activityid": str(session.record_id),
        "subject": record_text.title(session),
        "msdyn_channel": str(channels.BY_CODE[session.channel].stream_source),
        "description": description,
        liveworkitems.CUSTOMER_NAV.format(entity=customer.entity): customer.reference,
    }
    if connection.default_workstream_id:
        body["msdyn_liveworkstreamid@odata.bind"] = (
            f"/msdyn_liveworkstreams({connection.default_workstream_id})"
        )
    if connection.default_queue_id:
        body["msdyn_cdsqueueid@odata.bind"] = f"/queues({connection.default_queue_id})"
    body[liveworkitems.NOTES] = [transcript_note(session)]
    return body


def deliver_case(
    api: Any, session: HandoffSession, connection: DynamicsConnection, customer: Customer
) -> Delivered:
    case = incidents.create(api, case_body(session, connection, customer))
    if connection.default_queue_id:
        queues.add_to_queue(api, str(connection.default_queue_id), case.incident_id)
    url = record_url(api.environment_url, "incident", case.incident_id)
    return Delivered("incident", case.incident_id, case.ticket_number, customer.contact_id, url)


def deliver_conversation(
    api: Any, session: HandoffSession, connection: DynamicsConnection, customer: Customer
) -> Delivered:
    chat_id = liveworkitems.create(api, conversation_body(session, connection, customer))
    url = record_url(api.environment_url, "msdyn_ocliveworkitem", chat_id)
    return Delivered("live_work_item", chat_id, "", customer.contact_id, url)


def deliver(api: Any, session: HandoffSession, connection: DynamicsConnection) -> Delivered:
    """Resolve the customer, then write the case or conversation with its transcript note."""
    customer = customers.resolve(api, session, connection)
    if target_for(session, connection) == HandoffSession.Target.LIVE_WORK_ITEM:
        return deliver_conversation(api, session, connection, customer)
    return deliver_case(api, session, connection, customer)
