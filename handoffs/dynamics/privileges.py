"""Which privileges the application user holds, and which ones the product needs for its work.

The needs follow what a handoff does (docs/conversations.md): find or create the contact,
create the case or conversation linked to it, attach the transcript note, place it in a queue.
"""

from __future__ import annotations

from dataclasses import dataclass

from handoffs import channels
from handoffs.dynamics.protocol import DataverseApi
from handoffs.errors import HandoffError
from handoffs.models import DynamicsConnection

# Reference: https://learn.microsoft.com/en-us/power-apps/developer/data-platform/webapi/reference/retrieveuserprivileges

# Depths as RetrieveUserPrivileges reports them; "Global" is the role editor's "Organization".
FULL_DEPTH = "Global"


@dataclass(frozen=True)
class Need:
    """A group of privileges that together let the product do one thing."""

    key: str
    does: str
    privileges: tuple[tuple[str, str], ...]  # (privilege, why in plain words)
    # Privileges that must reach the whole organisation, not just the user's part of it.
    whole_org: tuple[str, ...] = ()


def case_updates_need() -> Need:
    """Following case changes: every case, and the resolution a rep wrote."""
    # Change tracking needs organization-level read access to the table:
    # https://learn.microsoft.com/en-us/power-apps/developer/data-platform/use-change-tracking-synchronize-data-external-systems
    # A case resolution is an activity: reading it takes prvReadActivity.
    # https://learn.microsoft.com/en-us/previous-versions/dynamicscrm-2016/developers-guide/gg309363(v=crm.8)
    return Need(
        "case_updates",
        "follow case changes for OpenCX (status, owner, resolution)",
        (
            ("prvReadIncident", "Read on Case at Organization level: change tracking reads them"),
            ("prvReadActivity", "Read on Activity: the case resolution a rep writes"),
        ),
        whole_org=("prvReadIncident",),
    )


def needs_for(connection: DynamicsConnection) -> list[Need]:
    """The privilege groups this connection's settings make the product use."""
    live_work_items = connection.chat_target == "live_work_item"
    chats_as_cases = connection.chat_target == "incident"
    needs = [
        Need(
            "contacts",
            "find and create the customer's contact",
            (
                ("prvReadContact", "Read on Contact: find the customer by email or phone"),
                ("prvCreateContact", "Create on Contact: add a customer seen for the first time"),
                ("prvAppendToContact", "Append To on Contact: link cases and chats to it"),
            ),
        ),
        Need(
            "cases",
            "create cases (phone, email" + (", chats" if chats_as_cases else "") + ")",
            (
                ("prvCreateIncident", "Create on Case"),
                ("prvReadIncident", "Read on Case: read back the case number"),
                ("prvAppendIncident", "Append on Case: link the case to its contact"),
                ("prvAppendToIncident", "Append To on Case: attach the transcript note"),
            ),
        ),
        Need(
            "notes",
            "attach the transcript note",
            (
                ("prvCreateNote", "Create on Note"),
                ("prvAppendNote", "Append on Note: attach it to the case or conversation"),
            ),
        ),
    ]
    if live_work_items:
        needs.append(
            Need(
                "conversations",
                f"create Omnichannel conversations ({channels.chat_labels()})",
                (
                    ("prvCreatemsdyn_ocliveworkitem", "Create on Conversation"),
                    ("prvReadmsdyn_ocliveworkitem", "Read on Conversation"),
                    ("prvAppendmsdyn_ocliveworkitem", "Append on Conversation: link the contact"),
                    ("prvAppendTomsdyn_ocliveworkitem", "Append To on Conversation: the note"),
                ),
            )
        )
    if live_work_items and connection.default_workstream_id:
        needs.append(
            Need(
                "workstream",
                "route conversations to the default workstream",
                (
                    ("prvReadmsdyn_liveworkstream", "Read on Work Stream"),
                    ("prvAppendTomsdyn_liveworkstream", "Append To on Work Stream"),
                ),
            )
        )
    if connection.default_owner_id:
        owner = (
            ("prvReadUser", "Read on User"),
            ("prvAppendToUser", "Append To on User"),
            ("prvAssignIncident", "Assign on Case"),
        )
        if live_work_items:
            # Creating a row owned by another user is an assignment: the table's Assign.
            owner += (("prvAssignmsdyn_ocliveworkitem", "Assign on Conversation"),)
        needs.append(Need("owner", "make the default owner the owner of new records", owner))
    if connection.fallback_customer_id and connection.fallback_customer_type == "account":
        needs.append(
            Need(
                "fallback_account",
                "link customers without email to the fallback account",
                (
                    ("prvReadAccount", "Read on Account"),
                    ("prvAppendToAccount", "Append To on Account"),
                ),
            )
        )
    if connection.tenant.sends_case_updates:
        needs.append(case_updates_need())
    if connection.default_queue_id:
        # The case's queue item is created with the case (deep insert), bound to the queue.
        # Reference: https://learn.microsoft.com/en-us/power-apps/developer/data-platform/webapi/create-entity-web-api#create-related-table-rows-in-one-operation
        # Reference: https://learn.microsoft.com/en-us/dynamics365/developer/reference/entities/queueitem
        needs.append(
            Need(
                "queue",
                "place new cases in the default queue",
                (
                    ("prvCreateQueueItem", "Create on Queue Item: the case's place in the queue"),
                    ("prvAppendQueueItem", "Append on Queue Item: link it to case and queue"),
                    ("prvAppendToQueue", "Append To on Queue"),
                    ("prvReadQueue", "Read on Queue: verification checks the queue exists"),
                ),
            )
        )
    return needs


@dataclass(frozen=True)
class Held:
    """The privileges a user holds: name → the widest depth among their roles."""

    depths: dict[str, str]

    def missing(self, need: Need) -> list[tuple[str, str]]:
        return [(name, why) for name, why in need.privileges if name not in self.depths]

    def narrow(self, name: str) -> bool:
        """True when the privilege is held, but not for the whole organisation."""
        depth = self.depths.get(name)
        return depth is not None and depth != FULL_DEPTH


DEPTH_ORDER = {"Basic": 0, "Local": 1, "Deep": 2, "Global": 3}


def user_privileges(client: DataverseApi, user_id: str) -> Held:
    """What the user's security roles grant (RetrieveUserPrivileges).

    The function needs Read on User and Read on Organization itself.
    Reference: https://learn.microsoft.com/en-us/power-apps/developer/data-platform/webapi/reference/retrieveuserprivileges
    Reference: https://learn.microsoft.com/en-us/previous-versions/dynamicscrm-2015/developers-guide/gg309700(v=crm.7)
    """
    answer = client.get(f"systemusers({user_id})/Microsoft.Dynamics.CRM.RetrieveUserPrivileges")
    rows = answer.get("RolePrivileges")
    if not isinstance(rows, list):
        raise HandoffError(
            "dataverse_unexpected_response",
            detail="RetrieveUserPrivileges answered without RolePrivileges.",
        )
    depths: dict[str, str] = {}
    for row in rows:
        name = row.get("PrivilegeName") if isinstance(row, dict) else None
        if not name:
            continue
        depth = str(row.get("Depth") or FULL_DEPTH)
        if DEPTH_ORDER.get(depth, 3) >= DEPTH_ORDER.get(depths.get(name, ""), -1):
            depths[name] = depth
    return Held(depths)
