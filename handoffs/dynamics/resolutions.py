"""Case resolutions (incidentresolution): the text a rep typed when resolving a case.

Resolving a case (the CloseIncident action) adds a completed case resolution activity: the
Resolve dialog's "Resolution" box is its `subject` (the primary name, 200 characters), "Remarks"
its `description`.
Reference: https://learn.microsoft.com/en-us/dynamics365/developer/reference/entities/incidentresolution
Reference: https://learn.microsoft.com/en-us/dynamics365/customer-service/use/customer-service-hub-user-guide-resolve-cancel-reassign-a-case
"""

from __future__ import annotations

from typing import Any

from handoffs.dynamics.protocol import DataverseApi
from handoffs.errors import HandoffError

SELECT = "subject,description,_incidentid_value,createdon"
COMPLETED = 1  # statecode "Completed": a resolution that closed its case
# Cases per request: keeps the $filter, and so the URL, short.
CHUNK = 20


def _text(row: dict[str, Any]) -> str:
    """The Resolution a rep typed; the remarks when a resolution was made without one."""
    return str(row.get("subject") or row.get("description") or "").strip()


def latest(api: DataverseApi, incident_ids: list[str]) -> dict[str, str]:
    """Each case's newest completed resolution text, for the cases that have one."""
    found: dict[str, str] = {}
    for start in range(0, len(incident_ids), CHUNK):
        chunk = incident_ids[start : start + CHUNK]
        cases = " or ".join(f"_incidentid_value eq {incident_id}" for incident_id in chunk)
        data = api.get(
            "incidentresolutions",
            params={
                "$select": SELECT,
                "$filter": f"statecode eq {COMPLETED} and ({cases})",
                "$orderby": "createdon desc",
            },
        )
        rows = data.get("value")
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise HandoffError(
                "dataverse_unexpected_response",
                detail="The case resolutions answered without a list of rows.",
            )
        for row in rows:  # newest first: the first one seen per case wins
            case = str(row.get("_incidentid_value") or "").lower()
            if case and case not in found:
                found[case] = _text(row)
    return found
