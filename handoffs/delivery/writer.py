"""Send a HandoffPlan: one request that creates the record with everything related to it.

Every id in a plan is the session's own (generated before the first call), so sending a plan
twice never creates a second record: a repeated create answers 412 (0x80040237) and the record
is read back. A 412 for a record that does not exist means the new contact the plan carries was
created meanwhile by another handoff of the same customer: the record is then bound to it.
"""

from __future__ import annotations

from dataclasses import dataclass

from handoffs.delivery.plan import HandoffPlan, RecordPlan
from handoffs.dynamics import incidents, liveworkitems
from handoffs.dynamics.client import record_url
from handoffs.dynamics.protocol import DataverseApi
from handoffs.dynamics.schema import INCIDENT
from handoffs.errors import HandoffError


@dataclass(frozen=True)
class Delivered:
    """What landed in Dynamics."""

    target: str
    record_id: str
    ticket_number: str
    contact_id: str | None
    record_url: str


def _create(api: DataverseApi, record: RecordPlan) -> tuple[str, str]:
    if record.table == INCIDENT:
        case = incidents.create(api, record.body, record.select)
        return case.incident_id, case.ticket_number
    return liveworkitems.create(api, record.body, record.select), ""


def _find(api: DataverseApi, record: RecordPlan) -> tuple[str, str] | None:
    if record.table == INCIDENT:
        case = incidents.find(api, record.record_id)
        return (case.incident_id, case.ticket_number) if case else None
    found = liveworkitems.find(api, record.record_id)
    return (found, "") if found else None


def _create_once(api: DataverseApi, record: RecordPlan) -> tuple[str, str] | None:
    """The created (or earlier created) record; None when a nested row's key already existed."""
    try:
        return _create(api, record)
    except HandoffError as error:
        if error.code != "dataverse_duplicate_record":
            raise
    # Our id already exists: an earlier attempt landed before we could record it.
    return _find(api, record)


def write(api: DataverseApi, plan: HandoffPlan) -> Delivered:
    """Write the plan's record in one request (two or three in the rare races); safe to repeat."""
    created = _create_once(api, plan.record)
    if created is None and plan.record_if_contact_exists is not None:
        created = _create_once(api, plan.record_if_contact_exists)
    if created is None:
        raise HandoffError(
            "dataverse_duplicate_record",
            detail="Dataverse reported a duplicate key, yet the record is not there.",
        )
    record_id, ticket_number = created
    url = record_url(api.environment_url, plan.record.table, record_id)
    return Delivered(plan.target, record_id, ticket_number, plan.customer.contact_id, url)
