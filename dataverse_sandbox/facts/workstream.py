"""Work stream (msdyn_liveworkstream), present only with the Omnichannel solution."""

from __future__ import annotations

from dataverse_sandbox.facts.model import (
    ACTIVE_INACTIVE_STATE,
    ACTIVE_INACTIVE_STATUS,
    Column,
    Nav,
    Table,
    columns,
    system_columns,
)

SOURCE = (
    "https://learn.microsoft.com/en-us/dynamics365/developer/reference/entities/"
    "msdyn_liveworkstream"
)

WORKSTREAM = Table(
    "msdyn_liveworkstream", "msdyn_liveworkstreams", "msdyn_liveworkstreamid", "msdyn_name",
    10703, "msdyn_liveworkstream", SOURCE, display="Work Stream",
    columns=columns(
        *system_columns("msdyn_liveworkstreamid", "Work Stream"),
        Column("msdyn_name", "String", "Name", 100, "ApplicationRequired"),
        Column("statecode", "State", "Status", required="SystemRequired", create=False,
               options=ACTIVE_INACTIVE_STATE),
        Column("statuscode", "Status", "Status Reason", options=ACTIVE_INACTIVE_STATUS),
    ),
    # Inferred: owner_msdyn_liveworkstream's navigation property is `ownerid`, like the
    # page's other system lookups (createdby, owningbusinessunit) named after their column.
    navs={"ownerid": Nav("ownerid", "systemuser", "owner_msdyn_liveworkstream")},
)  # fmt: skip
