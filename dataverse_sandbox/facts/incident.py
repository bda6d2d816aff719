"""Case (incident), as Microsoft's table reference describes it, plus two sandbox-only columns."""

from __future__ import annotations

from dataverse_sandbox.facts.model import Collection, Column, Nav, Table, columns, system_columns

SOURCE = "https://learn.microsoft.com/en-us/dynamics365/developer/reference/entities/incident"
# The on-premises copy states IsValidForUpdate per column where the online page only says
# "writable": ticketnumber is valid for create but not for update.
ON_PREMISES = (
    "https://learn.microsoft.com/en-us/dynamics365/customerengagement/on-premises/developer/"
    "entities/incident"
)

ORIGIN = {1: "Phone", 2: "Email", 3: "Web", 2483: "Facebook", 3986: "Twitter", 700610000: "IoT"}
PRIORITY = {1: "High", 2: "Normal", 3: "Low"}
CASE_TYPE = {1: "Question", 2: "Problem", 3: "Request"}
STATE = {0: "Active", 1: "Resolved", 2: "Cancelled"}
STATUS = {
    1: "In Progress", 2: "On Hold", 3: "Waiting for Details", 4: "Researching",
    5: "Problem Solved", 1000: "Information Provided", 6: "Cancelled", 2000: "Merged",
}  # fmt: skip
# "StatusCode Choices/Options": the state each status reason belongs to.
STATUS_STATE = {1: 0, 2: 0, 3: 0, 4: 0, 5: 1, 1000: 1, 6: 2, 2000: 2}
# "StateCode Choices/Options": DefaultStatus of each state.
DEFAULT_STATUS = {0: 1, 1: 5, 2: 6}
# Sandbox-only custom columns (publisher prefix new_), so a tenant can map extra case fields
# (ticket_properties) against something; no Microsoft page describes them.
REGION = {100000000: "North America", 100000001: "Europe", 100000002: "Asia Pacific"}

INCIDENT = Table(
    "incident", "incidents", "incidentid", "title", 112, "Incident", SOURCE, display="Case",
    columns=columns(
        *system_columns("incidentid", "Case"),
        Column("title", "String", "Case Title", 200, "ApplicationRequired"),
        Column("description", "Memo", "Description", 2000),
        Column("ticketnumber", "String", "Case Number", 100, update=False),  # ON_PREMISES
        Column("customerid", "Customer", "Customer", required="SystemRequired",
               targets=("account", "contact")),
        Column("primarycontactid", "Lookup", "Contact", targets=("contact",)),
        Column("caseorigincode", "Picklist", "Origin", options=ORIGIN),
        Column("prioritycode", "Picklist", "Priority", options=PRIORITY),
        Column("casetypecode", "Picklist", "Case Type", options=CASE_TYPE),
        # State columns are changed by update only (inferred: the page lists StateCode as
        # writable without saying which; Dataverse sets it on create).
        Column("statecode", "State", "Status", required="SystemRequired", create=False,
               options=STATE),
        Column("statuscode", "Status", "Status Reason", options=STATUS),
        Column("emailaddress", "String", "Email Address", 100),
        Column("parentcaseid", "Lookup", "Parent Case", targets=("incident",)),
        # "Read-only columns": set by Dataverse to the user who created the case.
        Column("createdby", "Lookup", "Created By", create=False, update=False,
               targets=("systemuser",)),
        Column("new_productcode", "String", "Product code", 50, custom=True),
        Column("new_region", "Picklist", "Region", options=REGION, custom=True),
    ),
    # "Many-to-One relationships": ReferencingEntityNavigationPropertyName of each.
    navs={
        "customerid_account": Nav("customerid", "account", "incident_customer_accounts"),
        "customerid_contact": Nav("customerid", "contact", "incident_customer_contacts"),
        "primarycontactid": Nav("primarycontactid", "contact", "contact_as_primary_contact"),
        "parentcaseid": Nav("parentcaseid", "incident", "incident_parent_incident"),
        "ownerid": Nav("ownerid", "systemuser", "owner_incidents"),
    },
    # "One-to-Many relationships": ReferencedEntityNavigationPropertyName of each, and the
    # child's navigation property back (from the child's own page).
    collections={
        "Incident_Annotation": Collection("annotation", "objectid_incident", "Incident_Annotation"),
        "Incident_QueueItem": Collection("queueitem", "objectid_incident", "Incident_QueueItem"),
        "Incident_IncidentResolutions": Collection(
            "incidentresolution", "incidentid", "Incident_IncidentResolutions"
        ),
    },
    # Inferred: the page does not show EntityMetadata.ChangeTrackingEnabled; cases are
    # commonly synchronised with change tracking on. An org can turn it off (overrides).
    change_tracking=True,
)  # fmt: skip
