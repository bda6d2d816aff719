"""A case as change tracking shows it, and whether OpenCX needs to hear about it (pure).

Nothing here touches the database or the network: the poll feeds rows in, the report applies
the verdict.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils.dateparse import parse_datetime

from handoffs.dynamics.changes import FORMATTED

# incident statecode → the state OpenCX hears; status reasons come as the org's labels.
# Reference: https://learn.microsoft.com/en-us/dynamics365/developer/reference/entities/incident
STATES = {0: "active", 1: "resolved", 2: "cancelled"}
KEY = "incidentid"
SELECT = "statecode,statuscode,_ownerid_value,_createdby_value,modifiedon"
# Dataverse makes a new case "In Progress" unless the create says otherwise (the page above:
# DefaultStatus of the Active state).
NEW_CASE_STATUS = 1
REPORT, REMEMBER, NOTHING = "report", "remember", "nothing"
DELETED = "deleted"  # shown on the session only: OpenCX's states are the three above


@dataclass(frozen=True)
class CaseView:
    """What OpenCX hears about a case (and the session shows)."""

    state: str
    status_reason: str
    owner: str
    resolution: str

    @classmethod
    def stored(cls, session: Any) -> CaseView | None:
        """What the session last recorded, or None when the case was never seen."""
        if not session.case_state:
            return None
        return cls(
            session.case_state,
            session.case_status_reason,
            session.case_owner,
            session.case_resolution,
        )


@dataclass(frozen=True)
class CaseRow:
    """One changed case row, as far as case updates are concerned."""

    incident_id: str
    state: str
    status_code: int | None
    status_reason: str
    owner_id: str
    owner: str
    created_by: str
    modified_on: datetime | None

    def view(self, resolution: str = "") -> CaseView:
        text = resolution if self.state == "resolved" else ""
        return CaseView(self.state, self.status_reason, self.owner, text)


def _formatted(row: dict[str, Any], key: str) -> str:
    return str(row.get(f"{key}@{FORMATTED}") or "")


def case_row(row: dict[str, Any]) -> CaseRow | None:
    """The row's case facts, or None when its state is not one OpenCX knows."""
    state = STATES.get(row.get("statecode"))
    if state is None or not row.get(KEY):
        return None
    status = row.get("statuscode")
    return CaseRow(
        incident_id=str(row[KEY]).lower(),
        state=state,
        status_code=status if isinstance(status, int) else None,
        status_reason=_formatted(row, "statuscode") or ("" if status is None else str(status)),
        owner_id=str(row.get("_ownerid_value") or "").lower(),
        owner=_formatted(row, "_ownerid_value"),
        created_by=str(row.get("_createdby_value") or "").lower(),
        modified_on=parse_datetime(str(row.get("modifiedon") or "")),
    )


@dataclass(frozen=True)
class AsCreated:
    """How the service created a tenant's cases, to tell a rep's change on first sight."""

    status_code: int = NEW_CASE_STATUS
    owner_id: str = ""  # the default owner, when one is set


def changed_since_created(row: CaseRow, created: AsCreated) -> bool:
    """Whether a case seen for the first time is no longer as the service created it."""
    owners = {row.created_by, created.owner_id} - {""}
    return (
        row.state != "active"
        or row.status_code != created.status_code
        or row.owner_id not in owners
    )


def verdict(
    stored: CaseView | None, seen: CaseView, *, first_sight_changed: bool, before_updates: bool
) -> str:
    """REPORT a change, REMEMBER a first sight silently, or NOTHING new."""
    if stored is not None:
        return NOTHING if stored == seen else REPORT
    if before_updates or not first_sight_changed:
        return REMEMBER
    return REPORT


def body(session: Any, seen: CaseView, *, event_id: str, occurred_at: datetime) -> dict:
    """The case.updated event OpenCX receives."""
    return {
        "event": "case.updated",
        "event_id": event_id,
        "session_id": session.session_id,
        "occurred_at": occurred_at.isoformat(),
        "dynamics365_incident_id": str(session.dynamics365_incident_id),
        "dynamics365_ticket_number": session.dynamics365_ticket_number or None,
        "state": seen.state,
        "status_reason": seen.status_reason,
        "owner": {"name": seen.owner} if seen.owner else None,
        "resolution": (seen.resolution or None) if seen.state == "resolved" else None,
    }
