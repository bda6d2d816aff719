"""Plan, then write: everything a handoff will write in Dynamics, decided without any I/O.

`plan_handoff(session, connection, customer)` returns an immutable HandoffPlan: the contact to
create (for a customer seen for the first time), the case or conversation with every column and
binding, the transcript note deep-inserted with it, and the queue to place it in. The writer
(handoffs.delivery.writer) only sends a plan. Field rules are therefore tested without HTTP.
Names and limits come from the org's schema (handoffs.dynamics.schema).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from handoffs import channels
from handoffs.delivery import text
from handoffs.dynamics import notes
from handoffs.dynamics.schema import CONTACT, CONVERSATION, INCIDENT, NOTE, OrgSchema, entity_set
from handoffs.models import DynamicsConnection, HandoffSession

# Keys ticket_properties may not override: the exactly-once id, the customer and the note.
PROTECTED_PREFIXES = ("incidentid", "customerid")


@dataclass(frozen=True)
class Customer:
    """The contact or account a record is linked to; `new_fields` when it must be created."""

    entity: str
    id: str
    new_fields: Mapping[str, Any] | None = None
    anonymous: bool = False  # the tenant's catch-all contact, remembered once created

    @property
    def contact_id(self) -> str | None:
        return self.id if self.entity == CONTACT else None


@dataclass(frozen=True)
class RecordPlan:
    """One row to create, with its deep-inserted children, and what to read back."""

    table: str
    record_id: str
    body: Mapping[str, Any]
    select: str

    @property
    def entity_set(self) -> str:
        return entity_set(self.table)


@dataclass(frozen=True)
class HandoffPlan:
    """Everything one handoff writes, in the order it is written."""

    target: str  # HandoffSession.Target
    record: RecordPlan
    customer: Customer
    contact: RecordPlan | None = None  # a contact to create before the record
    queue_id: str | None = None  # AddToQueue after the record (a case's queue is not a column)
    ticket_property_keys: frozenset[str] = field(default_factory=frozenset)


def frozen(value: Any) -> Any:
    """A read-only copy of nested dicts and lists (the plan cannot change after it is made)."""
    if isinstance(value, Mapping):
        return MappingProxyType({k: frozen(v) for k, v in value.items()})
    if isinstance(value, list | tuple):
        return tuple(frozen(v) for v in value)
    return value


def note(session: HandoffSession, schema: OrgSchema) -> dict[str, Any]:
    """The annotation with the full transcript: text within notetext's limit, else a .txt file."""
    subject = text.note_subject(session, schema.limit(NOTE, "subject"))
    body: dict[str, Any] = {"annotationid": str(session.note_id), "subject": subject}
    transcript = text.full_text(session)
    if text.utf16_length(transcript) <= schema.limit(NOTE, "notetext"):
        body["notetext"] = transcript
        return body
    file_name = notes.transcript_file_name(session.session_id, schema.limit(NOTE, "filename"))
    return {**body, **notes.attachment_fields(transcript, file_name)}


def _description(session: HandoffSession, schema: OrgSchema, table: str) -> str:
    subject = text.note_subject(session, schema.limit(NOTE, "subject"))
    return text.description(session, schema.limit(table, "description"), subject)


def _ticket_properties(connection: DynamicsConnection) -> dict[str, Any]:
    properties = connection.ticket_properties or {}
    return {k: v for k, v in properties.items() if not k.startswith(PROTECTED_PREFIXES)}


def case_body(
    session: HandoffSession, connection: DynamicsConnection, customer: Customer, schema: OrgSchema
) -> dict[str, Any]:
    """The incident, with the transcript note deep-inserted so it costs no extra request."""
    channel = channels.BY_CODE[session.channel]
    body: dict[str, Any] = {
        "title": text.title(session, schema.limit(INCIDENT, "title")),
        "description": _description(session, schema, INCIDENT),
        "caseorigincode": channel.case_origin,
    }
    if connection.default_priority is not None:
        body["prioritycode"] = connection.default_priority
    if connection.default_owner_id:
        owner = schema.bind_key(INCIDENT, "ownerid", "owner")
        body[owner] = f"/systemusers({connection.default_owner_id})"
    body.update(_ticket_properties(connection))
    body["incidentid"] = str(session.record_id)
    body[schema.bind_key(INCIDENT, "customerid", customer.entity)] = _reference(customer)
    body[schema.notes_collection(INCIDENT)] = [note(session, schema)]
    return body


def conversation_body(
    session: HandoffSession, connection: DynamicsConnection, customer: Customer, schema: OrgSchema
) -> dict[str, Any]:
    """The live work item, routed by the default workstream and queue, with its owner."""
    channel = channels.BY_CODE[session.channel]
    body: dict[str, Any] = {
        "activityid": str(session.record_id),
        "subject": text.title(session, schema.limit(CONVERSATION, "subject")),
        # A multi-select choice column: the Web API takes its values as a string.
        # Reference: https://learn.microsoft.com/en-us/power-apps/developer/data-platform/webapi/multi-select-picklist
        "msdyn_channel": str(channel.stream_source),
        "description": _description(session, schema, CONVERSATION),
        schema.bind_key(CONVERSATION, "msdyn_customer", customer.entity): _reference(customer),
    }
    if connection.default_workstream_id:
        key = schema.bind_key(CONVERSATION, "msdyn_liveworkstreamid", "msdyn_liveworkstream")
        body[key] = f"/msdyn_liveworkstreams({connection.default_workstream_id})"
    if connection.default_queue_id:
        key = schema.bind_key(CONVERSATION, "msdyn_cdsqueueid", "queue")
        body[key] = f"/queues({connection.default_queue_id})"
    if connection.default_owner_id:
        key = schema.bind_key(CONVERSATION, "ownerid", "owner")
        body[key] = f"/systemusers({connection.default_owner_id})"
    body[schema.notes_collection(CONVERSATION)] = [note(session, schema)]
    return body


def _reference(customer: Customer) -> str:
    return f"/{entity_set(customer.entity)}({customer.id})"


def contact_record(customer: Customer) -> RecordPlan | None:
    """The contact to create first, when the customer is new."""
    if customer.new_fields is None:
        return None
    body = {"contactid": customer.id, **customer.new_fields}
    return RecordPlan(CONTACT, customer.id, frozen(body), "contactid")


def plan_handoff(
    session: HandoffSession, connection: DynamicsConnection, customer: Customer
) -> HandoffPlan:
    """Everything this handoff writes, decided from the session, the connection and the customer."""
    schema = OrgSchema.from_stored(connection.dataverse_schema)
    target = connection.target_for(session.channel)
    if target == HandoffSession.Target.LIVE_WORK_ITEM:
        body = conversation_body(session, connection, customer, schema)
        record = RecordPlan(CONVERSATION, str(session.record_id), frozen(body), "activityid")
        queue_id = None  # a conversation carries its queue as a column
        keys: frozenset[str] = frozenset()
    else:
        body = case_body(session, connection, customer, schema)
        record = RecordPlan(
            INCIDENT, str(session.record_id), frozen(body), "incidentid,ticketnumber"
        )
        queue_id = str(connection.default_queue_id) if connection.default_queue_id else None
        keys = frozenset(_ticket_properties(connection))
    return HandoffPlan(target, record, customer, contact_record(customer), queue_id, keys)
