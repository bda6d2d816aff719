"""Conversation (msdyn_ocliveworkitem), present only with the Omnichannel solution."""

from __future__ import annotations

from dataverse_sandbox.facts.model import Collection, Column, Nav, Table, columns, system_columns

SOURCE = (
    "https://learn.microsoft.com/en-us/dynamics365/developer/reference/entities/"
    "msdyn_ocliveworkitem"
)
# Dynamics 365 Customer Service adds the channel options (the base page lists only
# 192350000 Entity Records for the global choice msdyn_streamsource).
CUSTOMER_SERVICE = (
    "https://learn.microsoft.com/en-us/dynamics365/customer-service/develop/reference/entities/"
    "msdyn_ocliveworkitem"
)

CHANNEL = {
    19241000: "Microsoft Teams", 192300000: "WhatsApp", 192310000: "LINE", 192320000: "WeChat",
    192330000: "Facebook", 192340000: "SMS", 192350000: "Entity Records",
    192350001: "Twitter", 192350002: "Custom", 192360000: "Live chat", 192370000: "Voice",
    192380000: "Video", 192390000: "Co-browse", 192400000: "Screen sharing",
    192440000: "Voice call", 192450000: "Apple Messages for Business",
    192450001: "Google's Business Messages",
}  # fmt: skip
STATE = {0: "Open", 1: "Closed", 2: "Resolved", 3: "Scheduled", 4: "Wrap-up (Deprecated)"}
STATUS = {
    1: "Open", 2: "Active", 3: "Waiting", 4: "Closed", 5: "Wrap-up", 6: "Resolved",
    7: "Scheduled",
}  # fmt: skip

LIVE_WORK_ITEM = Table(
    "msdyn_ocliveworkitem", "msdyn_ocliveworkitems", "activityid", "subject", 10702,
    "msdyn_ocliveworkitem", SOURCE, display="Conversation",
    columns=columns(
        *system_columns("activityid", "Activity"),
        Column("subject", "String", "Subject", 200, "ApplicationRequired"),
        Column("description", "Memo", "Description", 2000),
        Column("msdyn_title", "String", "Title", 4000),
        Column("msdyn_channel", "MultiSelectPicklist", "Channel", options=CHANNEL),
        Column("msdyn_customer", "Customer", "Customer", targets=("account", "contact")),
        Column("msdyn_cdsqueueid", "Lookup", "Queue", targets=("queue",)),
        Column("msdyn_liveworkstreamid", "Lookup", "Work stream",
               targets=("msdyn_liveworkstream",)),
        # The page lists about thirty targets; these are the ones the sandbox serves.
        Column("regardingobjectid", "Lookup", "Regarding",
               targets=("account", "contact", "incident")),
        Column("statecode", "State", "State", required="SystemRequired", create=False,
               options=STATE),
        Column("statuscode", "Status", "Status Reason", options=STATUS),
    ),
    navs={
        "msdyn_customer_msdyn_ocliveworkitem_account": Nav(
            "msdyn_customer", "account", "msdyn_account_msdyn_ocliveworkitem_Customer"
        ),
        "msdyn_customer_msdyn_ocliveworkitem_contact": Nav(
            "msdyn_customer", "contact", "msdyn_contact_msdyn_ocliveworkitem_Customer"
        ),
        "msdyn_cdsqueueid_msdyn_ocliveworkitem": Nav(
            "msdyn_cdsqueueid", "queue", "msdyn_queue_msdyn_ocliveworkitem_queueid"
        ),
        "msdyn_liveworkstreamid_msdyn_ocliveworkitem": Nav(
            "msdyn_liveworkstreamid", "msdyn_liveworkstream",
            "msdyn_msdyn_liveworkstream_msdyn_ocliveworkitem_liveworkstreamid",
        ),
        "ownerid_msdyn_ocliveworkitem": Nav(
            "ownerid", "systemuser", "msdyn_ocliveworkitem_owner_ownerid"
        ),
        "regardingobjectid_account_msdyn_ocliveworkitem": Nav(
            "regardingobjectid", "account", "account_msdyn_ocliveworkitems"
        ),
        "regardingobjectid_contact_msdyn_ocliveworkitem": Nav(
            "regardingobjectid", "contact", "contact_msdyn_ocliveworkitems"
        ),
        "regardingobjectid_incident_msdyn_ocliveworkitem": Nav(
            "regardingobjectid", "incident", "incident_msdyn_ocliveworkitems"
        ),
    },
    collections={
        "msdyn_ocliveworkitem_Annotations": Collection(
            "annotation", "objectid_msdyn_ocliveworkitem", "msdyn_ocliveworkitem_Annotations"
        ),
        "msdyn_ocliveworkitem_QueueItems": Collection(
            "queueitem", "objectid_msdyn_ocliveworkitem", "msdyn_ocliveworkitem_QueueItems"
        ),
    },
)  # fmt: skip
