"""Checklist lines that look inside the org: privileges, Omnichannel, default records, fields."""

from __future__ import annotations

from typing import Any

from handoffs import channels
from handoffs.dynamics import metadata, privileges
from handoffs.dynamics.protocol import DataverseApi
from handoffs.dynamics.whoami import Identity
from handoffs.errors import HandoffError
from handoffs.models import DynamicsConnection
from handoffs.tenancy import ticket_properties
from handoffs.verification import case_updates, schema
from handoffs.verification.checklist import FAIL, PASS, WARN, Check, failed, skipped

PRIVILEGES_ANCHOR = "checklist-privileges"
ORG_CHECKS = (
    ("privileges", "Security role privileges of the application user"),
    ("omnichannel", "Omnichannel for Customer Service installed"),
    ("default_records", "Default owner, queue, workstream and fallback customer exist"),
    ("ticket_properties", "Ticket properties and default priority match the org's case columns"),
    (schema.KEY, schema.TITLE),
)
# (setting, label, entity set, primary name column) for each default that names a record.
DEFAULT_RECORDS = (
    ("default_owner_id", "Default owner", "systemusers", "fullname"),
    ("default_queue_id", "Default queue", "queues", "name"),
    ("default_workstream_id", "Default workstream", "msdyn_liveworkstreams", "msdyn_name"),
)


def skipped_after(reason: str) -> list[Check]:
    return [skipped(key, title, reason) for key, title in ORG_CHECKS]


def org_checks(
    client: DataverseApi, connection: DynamicsConnection, identity: Identity
) -> list[Check]:
    """The lines that need a working application user."""
    return [
        *check_privileges(client, connection, identity),
        check_omnichannel(client, connection),
        *check_default_records(client, connection),
        check_ticket_properties(client, connection),
        *case_updates.checks(client, connection),
    ]


def check_privileges(
    client: DataverseApi, connection: DynamicsConnection, identity: Identity
) -> list[Check]:
    """One line per thing the product does, naming each missing privilege and why."""
    title = ORG_CHECKS[0][1]
    try:
        held = privileges.user_privileges(client, identity.user_id)
    except HandoffError as exc:
        if exc.code != "dataverse_missing_privilege":
            return [failed("privileges", title, exc)]
        return [
            Check(
                "privileges",
                FAIL,
                title,
                "The application user cannot read its own privileges: it has no security "
                "role yet, or its role lacks Read on User (prvReadUser) or Read on Organization "
                "(prvReadOrganization), which RetrieveUserPrivileges needs.",
                "Power Platform admin center → your environment → Settings → Application users: "
                "give the app the security role from the setup guide (with Read on User and Read "
                "on Organization), then verify again.",
                PRIVILEGES_ANCHOR,
            )
        ]
    return [_need_line(need, held) for need in privileges.needs_for(connection)]


def _need_line(need: privileges.Need, held: privileges.Held) -> Check:
    title = f"Privileges to {need.does}"
    key = f"privileges_{need.key}"
    missing = held.missing(need)
    if missing:
        listed = "; ".join(f"{name} ({why})" for name, why in missing)
        return Check(
            key,
            FAIL,
            title,
            f"The application user's security role lacks: {listed}.",
            "Power Platform admin center → your environment → Settings → Security roles: add "
            "these privileges (Organization level) to the application user's role, then verify "
            "again.",
            PRIVILEGES_ANCHOR,
        )
    narrow = [name for name, _ in need.privileges if held.narrow(name)]
    too_narrow = [name for name in need.whole_org if name in narrow]
    if too_narrow:
        return Check(
            key,
            FAIL,
            title,
            f"{', '.join(too_narrow)} is limited to part of the organisation; Dataverse refuses "
            "change tracking unless the role reads the whole table.",
            "Set these privileges to Organization in the application user's security role, then "
            "verify again.",
            PRIVILEGES_ANCHOR,
        )
    if "prvReadContact" in narrow:
        return Check(
            key,
            WARN,
            title,
            "Read on Contact is limited to part of the organisation, so existing customers "
            "owned elsewhere are not found and duplicates are created.",
            "Set Read on Contact to Organization in the application user's security role.",
            PRIVILEGES_ANCHOR,
        )
    return Check(key, PASS, title, "All needed privileges are granted.")


def check_omnichannel(client: DataverseApi, connection: DynamicsConnection) -> Check:
    key, title = ORG_CHECKS[1]
    anchor = "checklist-omnichannel"
    try:
        client.get("msdyn_ocliveworkitems", params={"$select": "activityid", "$top": "1"})
        installed = True
    except HandoffError as exc:
        if exc.code == "omnichannel_not_installed":
            installed = False
        elif exc.code == "dataverse_missing_privilege":
            installed = True  # the table is there; the privileges lines name what is missing
        else:
            return failed(key, title, exc)
    chats_as_cases = connection.chat_target == DynamicsConnection.ChatTarget.INCIDENT
    if installed:
        detail = f"Installed: {channels.chat_labels()} handoffs can become conversations."
        if chats_as_cases:
            detail = "Installed, but chats are set to become cases (Defaults and routing)."
        return Check(key, PASS, title, detail)
    if chats_as_cases:
        return Check(key, PASS, title, "Not installed; chats are set to become cases.")
    return Check(
        key,
        WARN,
        title,
        f"Not installed: {channels.chat_labels()} handoffs would fail as conversations.",
        "Set 'Chats become' to Case under Defaults and routing, or install Omnichannel for "
        "Customer Service in this environment.",
        anchor,
    )


def _fallback_record(connection: DynamicsConnection) -> tuple[str, str, str, str] | None:
    if not connection.fallback_customer_id:
        return None
    if connection.fallback_customer_type == "account":
        return ("fallback_customer_id", "Fallback customer (account)", "accounts", "name")
    return ("fallback_customer_id", "Fallback customer (contact)", "contacts", "fullname")


def _record_problem(
    client: DataverseApi, entity_set: str, record_id: Any, name_column: str
) -> tuple[str, str]:
    """('', '') when the record exists, else (what went wrong in plain words, error code)."""
    try:
        client.get(f"{entity_set}({record_id})", params={"$select": name_column})
    except HandoffError as exc:
        if exc.code in ("dataverse_not_found", "omnichannel_not_installed"):
            return f"no record {record_id} in {entity_set}", exc.code
        return exc.message.rstrip("."), exc.code
    return "", ""


def _records_failed(problems: list[str], denied: bool) -> Check:
    key, title = ORG_CHECKS[2]
    if denied:
        # The records may well exist: the application user is not allowed to read them.
        return Check(
            key,
            FAIL,
            title,
            "; ".join(problems) + ".",
            "Give the application user's security role Read (Organization level) on the "
            "tables named here, then verify again.",
            PRIVILEGES_ANCHOR,
        )
    return Check(
        key,
        FAIL,
        title,
        "; ".join(problems) + ".",
        "Under Defaults and routing, paste the GUID of an existing record (open it in "
        "Dynamics and copy the id= part of its address), or clear the field.",
        "checklist-default-records",
    )


def check_default_records(client: DataverseApi, connection: DynamicsConnection) -> list[Check]:
    """Each default that names a record must name an existing one."""
    key, title = ORG_CHECKS[2]
    wanted = [
        (setting, label, entity_set, name_column)
        for setting, label, entity_set, name_column in DEFAULT_RECORDS
        if getattr(connection, setting)
    ]
    fallback = _fallback_record(connection)
    if fallback:
        wanted.append(fallback)
    if not wanted:
        return [Check(key, PASS, title, "No default owner, queue, workstream or fallback is set.")]
    problems, denied = [], False
    for setting, label, entity_set, name_column in wanted:
        problem, code = _record_problem(
            client, entity_set, getattr(connection, setting), name_column
        )
        if problem:
            problems.append(f"{label}: {problem}")
            denied = denied or code == "dataverse_missing_privilege"
    if problems:
        return [_records_failed(problems, denied)]
    labels = ", ".join(label for _, label, _, _ in wanted)
    return [Check(key, PASS, title, f"Found: {labels}.")]


def check_ticket_properties(client: DataverseApi, connection: DynamicsConnection) -> Check:
    key, title = ORG_CHECKS[3]
    anchor = "checklist-ticket-properties"
    if not connection.ticket_properties and not connection.default_priority:
        return Check(key, PASS, title, "No ticket properties and no default priority are set.")
    try:
        table = metadata.table_metadata(client, "incident")
    except HandoffError as exc:
        return failed(key, title, exc)
    problems = ticket_properties.validate(connection.ticket_properties or {}, table)
    priorities = table.priority_options()
    if connection.default_priority and connection.default_priority not in priorities:
        options = ", ".join(f"{v} ({label})" for v, label in priorities.items())
        problems["default priority"] = f"{connection.default_priority} is not one of {options}."
    if problems:
        listed = "; ".join(f"{k}: {v}" for k, v in problems.items())
        return Check(
            key,
            FAIL,
            title,
            listed,
            "Open Ticket properties (and Defaults and routing) and correct the keys named here.",
            anchor,
        )
    return Check(key, PASS, title, "Every key is a writable case column with a valid value.")
