"""User (systemuser): agents and the integration's application user."""

from __future__ import annotations

from dataverse_sandbox.facts.model import Column, Table, columns, system_columns

SOURCE = (
    "https://learn.microsoft.com/en-us/power-apps/developer/data-platform/reference/entities/"
    "systemuser"
)

SYSTEMUSER = Table(
    "systemuser", "systemusers", "systemuserid", "fullname", 8, "User", SOURCE, display="User",
    columns=columns(
        *system_columns("systemuserid", "User", owned=False),
        Column("fullname", "String", "Full Name", 200, create=False, update=False),
        Column("firstname", "String", "First Name", 256, "ApplicationRequired"),
        Column("lastname", "String", "Last Name", 256, "ApplicationRequired"),
        Column("internalemailaddress", "String", "Primary Email", 100, "SystemRequired"),
        Column("domainname", "String", "User Name", 1024, "SystemRequired"),
        Column("applicationid", "Uniqueidentifier", "Application ID"),
        Column("isdisabled", "Boolean", "Status", create=False),
        Column("businessunitid", "Lookup", "Business Unit", required="SystemRequired",
               targets=("businessunit",)),
    ),
    navs={},
)  # fmt: skip
