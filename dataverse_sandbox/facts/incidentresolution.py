"""Case resolution (incidentresolution): the activity that closes a case."""

from __future__ import annotations

from dataverse_sandbox.facts.model import Column, Nav, Table, columns, system_columns

SOURCE = (
    "https://learn.microsoft.com/en-us/dynamics365/developer/reference/entities/incidentresolution"
)
# Activities share the activity privileges (prvCreateActivity, prvReadActivity, ...), as the
# privileges-by-message tables show for the built-in activity tables. Inferred for this one.
PRIVILEGES = "https://learn.microsoft.com/en-us/previous-versions/aa662451(v=msdn.10)"

STATE = {0: "Open", 1: "Completed", 2: "Canceled"}
STATUS = {1: "Open", 2: "Closed", 3: "Canceled"}

INCIDENT_RESOLUTION = Table(
    "incidentresolution", "incidentresolutions", "activityid", "subject", 4206, "Activity",
    SOURCE, display="Case Resolution",
    columns=columns(
        *system_columns("activityid", "Case Resolution"),
        Column("subject", "String", "Subject", 200, "ApplicationRequired"),
        Column("description", "Memo", "Remarks", 100000),
        Column("incidentid", "Lookup", "Case", targets=("incident",)),
        # The page lists StateCode as writable: resolutions are created completed.
        Column("statecode", "State", "Status", required="SystemRequired", options=STATE),
        Column("statuscode", "Status", "Status Reason", options=STATUS),
    ),
    navs={
        "incidentid": Nav("incidentid", "incident", "Incident_IncidentResolutions"),
        "ownerid_incidentresolution": Nav(
            "ownerid", "systemuser", "incidentresolution_owner_ownerid"
        ),
    },
)  # fmt: skip
