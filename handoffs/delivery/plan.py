"""Plan, then write: everything a handoff will write in Dynamics, decided without any I/O.

`plan_handoff(session, connection, customer)` returns an immutable HandoffPlan: the case or
conversation with every column and binding, and — created with it in the same request, so a
handoff costs one round trip — the transcript note, the queue item of a case, and the contact of
a customer seen for the first time ("Create related table rows in one operation"). The writer
(handoffs.delivery.writer) only sends a plan, so field rules are tested without HTTP. Names and
limits come from the org's schema (handoffs.dynamics.schema). See docs/architecture.md, "How a
handoff flows", step 3.
Reference: https://learn.microsoft.com/en-us/power-apps/developer/data-platform/webapi/create-entity-web-api#create-related-table-rows-in-one-operation
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from handoffs import channels
from handoffs.delivery import text
from handoffs.dynamics import notes
from handoffs.dynamics.schema import (
    CONTACT,
    CONVERSATION,
    INCIDENT,
    NOTE,
    QUEUE_ITEM,
    OrgSchema,
    entity_set,
)
from handoffs.models import DynamicsConnection, HandoffSession
from handoffs.tenancy.ticket_properties import sets_service_column


@dataclass(frozen=True)
class Customer:
    """The contact or account a record is linked to; `new_fields` when it must be created."""

    entity: str
    id: str
    new_fields: Mapping[str, Any] | None = None
    anonymous: bool = False  # the tenant's catch-all contact, remembered once created
    email: str = ""  # the normalised email it was found or created for
    from_link: bool = False  # bound from a remembered link, without a lookup

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
    """Everything one handoff writes, in one request."""

    target: str  # HandoffSession.Target
    record: RecordPlan
    customer: Customer
    # The same record bound to the customer's contact, for when the contact this plan creates
    # turns out to exist already (another handoff of the same new customer created it first).
    record_if_contact_exists: RecordPlan | None = None
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
    return {k: v for k, v in properties.items() if not sets_service_column(k)}


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
    body.update(_customer(schema, INCIDENT, "customerid", customer))
    body[schema.notes_collection(INCIDENT)] = [note(session, schema)]
    if connection.default_queue_id:
        # A case's queue is not a column: its queue item is created with it.
        queue = schema.bind_key(QUEUE_ITEM, "queueid", "queue")
        item = {queue: f"/queues({connection.default_queue_id})"}
        body[schema.collection(QUEUE_ITEM, INCIDENT)] = [item]
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
        # Reference: https://learn.microsoft.com/en-us/power-apps/developer/data-platform/multi-select-picklist
        "msdyn_channel": str(channel.stream_source),
        "description": _description(session, schema, CONVERSATION),
        **_customer(schema, CONVERSATION, "msdyn_customer", customer),
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


def _customer(schema: OrgSchema, table: str, column: str, customer: Customer) -> dict[str, Any]:
    """Bind the customer, or create a new contact inside the same request."""
    if customer.new_fields is not None:
        nested = {"contactid": customer.id, **customer.new_fields}
        return {schema.nested_key(table, column, customer.entity): nested}
    reference = f"/{entity_set(customer.entity)}({customer.id})"
    return {schema.bind_key(table, column, customer.entity): reference}


def existing(customer: Customer) -> Customer:
    """The same customer, already in Dynamics."""
    return Customer(customer.entity, customer.id, email=customer.email)


def plan_handoff(
    session: HandoffSession, connection: DynamicsConnection, customer: Customer
) -> HandoffPlan:
    """Everything this handoff writes, decided from the session, the connection and the customer."""
    schema = OrgSchema.from_stored(connection.dataverse_schema)
    target = connection.target_for(session.channel)
    if target == HandoffSession.Target.LIVE_WORK_ITEM:
        table, build, select = CONVERSATION, conversation_body, "activityid"
        keys: frozenset[str] = frozenset()
    else:
        table, build, select = INCIDENT, case_body, "incidentid,ticketnumber"
        keys = frozenset(_ticket_properties(connection))

    def record_for(who: Customer) -> RecordPlan:
        body = build(session, connection, who, schema)
        return RecordPlan(table, str(session.record_id), frozen(body), select)

    fallback = record_for(existing(customer)) if customer.new_fields is not None else None
    return HandoffPlan(target, record_for(customer), customer, fallback, keys)
