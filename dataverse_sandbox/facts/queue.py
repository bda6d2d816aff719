"""Queue and queue item: where AddToQueue puts a case or conversation."""

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

QUEUE_SOURCE = (
    "https://learn.microsoft.com/en-us/power-apps/developer/data-platform/reference/entities/queue"
)
QUEUEITEM_SOURCE = (
    "https://learn.microsoft.com/en-us/power-apps/developer/data-platform/reference/entities/"
    "queueitem"
)
# Incident_QueueItem and msdyn_ocliveworkitem_QueueItems come with the Dynamics 365 apps and are
# listed on the Dynamics 365 copy of the queue item page.
DYNAMICS_QUEUEITEM = (
    "https://learn.microsoft.com/en-us/dynamics365/developer/reference/entities/queueitem"
)

QUEUE = Table(
    "queue", "queues", "queueid", "name", 2020, "Queue", QUEUE_SOURCE, display="Queue",
    columns=columns(
        *system_columns("queueid", "Queue"),
        Column("name", "String", "Name", 200, "ApplicationRequired"),
        Column("description", "Memo", "Description", 2000),
        Column("emailaddress", "String", "Incoming Email", 100),
        Column("statecode", "State", "Status", required="SystemRequired", create=False,
               options=ACTIVE_INACTIVE_STATE),
        Column("statuscode", "Status", "Status Reason", required="SystemRequired",
               options=ACTIVE_INACTIVE_STATUS),
    ),
    navs={"ownerid": Nav("ownerid", "systemuser", "owner_queues")},
)  # fmt: skip

QUEUEITEM = Table(
    "queueitem", "queueitems", "queueitemid", "title", 2029, "QueueItem", QUEUEITEM_SOURCE,
    display="Queue item",
    columns=columns(
        *system_columns("queueitemid", "Queue Item", owned=False),
        Column("title", "String", "Title", 300, create=False, update=False),
        Column("queueid", "Lookup", "Queue", required="ApplicationRequired", update=False,
               targets=("queue",)),
        Column("objectid", "Lookup", "Object", required="ApplicationRequired", update=False,
               targets=("incident", "msdyn_ocliveworkitem")),
        Column("statecode", "State", "Status", required="SystemRequired", create=False,
               options=ACTIVE_INACTIVE_STATE),
        Column("statuscode", "Status", "Status Reason", required="SystemRequired",
               options=ACTIVE_INACTIVE_STATUS),
    ),
    navs={
        "queueid": Nav("queueid", "queue", "queue_entries"),
        "objectid_incident": Nav("objectid", "incident", "Incident_QueueItem"),
        "objectid_msdyn_ocliveworkitem": Nav(
            "objectid", "msdyn_ocliveworkitem", "msdyn_ocliveworkitem_QueueItems"
        ),
    },
)  # fmt: skip
