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


def read(api: DataverseApi, incident_id: str) -> Case:
    """Read an existing case's id and ticket number."""
    return _case(api.get(f"incidents({incident_id})", params={"$select": SELECT}))


def create(api: DataverseApi, body: Mapping[str, Any], select: str) -> Case:
    """Create the case (and any deep-inserted note) once; a 412 means it is already there."""
    try:
        data = api.post(
            "incidents",
            body,
            params={"$select": select},
            headers={"Prefer": "return=representation"},
        )
    except HandoffError as error:
        if error.code != "dataverse_duplicate_record":
            raise
        # Our id already exists: an earlier attempt landed before we could record it.
        return read(api, body["incidentid"])
    return _case(data)
