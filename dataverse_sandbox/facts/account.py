"""Account: only what a case's or conversation's customer needs."""

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

SOURCE = "https://learn.microsoft.com/en-us/power-apps/developer/data-platform/reference/entities/account"

ACCOUNT = Table(
    "account", "accounts", "accountid", "name", 1, "Account", SOURCE, display="Account",
    columns=columns(
        *system_columns("accountid", "Account"),
        Column("name", "String", "Account Name", 160, "ApplicationRequired"),
        # Inferred lengths: the same as contact's emailaddress1 and telephone1 (not re-read
        # on the account page).
        Column("emailaddress1", "String", "Email", 100),
        Column("telephone1", "String", "Main Phone", 50),
        Column("statecode", "State", "Status", required="SystemRequired", create=False,
               options=ACTIVE_INACTIVE_STATE),
        Column("statuscode", "Status", "Status Reason", options=ACTIVE_INACTIVE_STATUS),
    ),
    navs={"ownerid": Nav("ownerid", "systemuser", "owner_accounts")},
)  # fmt: skip
