"""Send a HandoffPlan: the new contact, the record with its note, then the queue placement.

Every id in a plan is the session's own (generated before the first call), so sending a plan
twice never creates a second record: a repeated create answers 412 and is read back.
"""

from __future__ import annotations

from dataclasses import dataclass

from handoffs.delivery.plan import HandoffPlan
from handoffs.dynamics import contacts, incidents, liveworkitems, queues
from handoffs.dynamics.client import record_url
from handoffs.dynamics.protocol import DataverseApi
from handoffs.dynamics.schema import INCIDENT


@dataclass(frozen=True)
class Delivered:
    """What landed in Dynamics."""

    target: str
    record_id: str
    ticket_number: str
    contact_id: str | None
    record_url: str


def write(api: DataverseApi, plan: HandoffPlan) -> Delivered:
    """Write everything the plan holds, in order; safe to repeat."""
    if plan.contact is not None:
        contacts.create(api, plan.contact.body)
    record = plan.record
    ticket_number = ""
    if record.table == INCIDENT:
        case = incidents.create(api, record.body, record.select)
        if plan.queue_id:
            queues.add_to_queue(api, plan.queue_id, case.incident_id)
        record_id, ticket_number = case.incident_id, case.ticket_number
    else:
        record_id = liveworkitems.create(api, record.body, record.select)
    url = record_url(api.environment_url, record.table, record_id)
    return Delivered(plan.target, record_id, ticket_number, plan.customer.contact_id, url)
