"""Cases (incident): create with our own id and read the ticket number back in the same call."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from handoffs.errors import HandoffError

# Reference: https://learn.microsoft.com/en-us/power-apps/developer/data-platform/webapi/create-entity-web-api
# Reference: https://learn.microsoft.com/en-us/dynamics365/developer/reference/entities/incident

SELECT = "incidentid,ticketnumber"
NOTES = "Incident_Annotation"  # collection navigation property for a deep-inserted note


@dataclass(frozen=True)
class Case:
    incident_id: str
    ticket_number: str


def _case(data: dict[str, Any]) -> Case:
    if not data.get("incidentid"):
        raise HandoffError("dataverse_unexpected_response", detail="The case came without an id.")
    return Case(str(data["incidentid"]), str(data.get("ticketnumber") or ""))


def read(api: Any, incident_id: str) -> Case:
    """Read an existing case's id and ticket number."""
    return _case(api.get(f"incidents({incident_id})", params={"$select": SELECT}))


def create(api: Any, body: dict[str, Any]) -> Case:
    """Create the case (and any deep-inserted note) once; a 412 means it is already there."""
    try:
        data = api.post(
            "incidents",
            body,
            params={"$select": SELECT},
            headers={"Prefer": "return=representation"},
        )
    except HandoffError as error:
        if error.code != "dataverse_duplicate_record":
            raise
        # Our id already exists: an earlier attempt landed before we could record it.
        return read(api, body["incidentid"])
    return _case(data)
