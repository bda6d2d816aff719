"""Cases (incident): create with our own id and read the ticket number back in the same call."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from handoffs.dynamics.protocol import DataverseApi
from handoffs.errors import HandoffError

# Reference: https://learn.microsoft.com/en-us/power-apps/developer/data-platform/webapi/create-entity-web-api
# Reference: https://learn.microsoft.com/en-us/dynamics365/developer/reference/entities/incident

SELECT = "incidentid,ticketnumber"


@dataclass(frozen=True)
class Case:
    incident_id: str
    ticket_number: str


def _case(data: dict[str, Any]) -> Case:
    if not data.get("incidentid"):
        raise HandoffError("dataverse_unexpected_response", detail="The case came without an id.")
    return Case(str(data["incidentid"]), str(data.get("ticketnumber") or ""))


def find(api: DataverseApi, incident_id: str) -> Case | None:
    """An existing case's id and ticket number, or None when there is no such case."""
    try:
        return _case(api.get(f"incidents({incident_id})", params={"$select": SELECT}))
    except HandoffError as error:
        if error.http_status == 404:
            return None
        raise


def create(api: DataverseApi, body: Mapping[str, Any], select: str = SELECT) -> Case:
    """Create the case with everything deep-inserted in it; 412 when its id already exists."""
    data = api.post(
        "incidents", body, params={"$select": select}, headers={"Prefer": "return=representation"}
    )
    return _case(data)
