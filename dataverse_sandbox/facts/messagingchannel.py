"""Custom messaging channel (msdyn_occustommessagingchannel): the Messaging API channel record."""

from __future__ import annotations

from dataverse_sandbox.facts.model import (
    ACTIVE_INACTIVE_STATE,
    ACTIVE_INACTIVE_STATUS,
    Column,
    Table,
    columns,
    system_columns,
)

SOURCE = (
    "https://learn.microsoft.com/en-us/dynamics365/customer-service/develop/reference/entities/"
    "msdyn_occustommessagingchannel"
)
# Options of msdyn_occustomchannelid; 192350005 "Messaging API" is from
# https://learn.microsoft.com/en-us/dynamics365/contact-center/extend/configure-custom-messaging-channel
CUSTOM_CHANNEL = {
    192350000: "Direct Line", 192350001: "Kik", 192350002: "Telegram",
    192350004: "Google's Business Messages", 192350005: "Messaging API",
}  # fmt: skip

CUSTOM_MESSAGING_CHANNEL = Table(
    "msdyn_occustommessagingchannel", "msdyn_occustommessagingchannels",
    "msdyn_occustommessagingchannelid", "msdyn_name", 10704, "msdyn_occustommessagingchannel",
    SOURCE, display="Custom messaging channel",
    columns=columns(
        *system_columns("msdyn_occustommessagingchannelid", "Custom messaging channel"),
        Column("msdyn_name", "String", "Name", 100, "ApplicationRequired"),
        Column("msdyn_occustomchannelid", "Picklist", "Channel ID", options=CUSTOM_CHANNEL),
        Column("msdyn_appid", "String", "App ID", 100),
        Column("msdyn_tenantid", "String", "Tenant ID", 100),
        Column("msdyn_webhookurl", "String", "Webhook URL", 500),
        Column("msdyn_liveworkstreamid", "Lookup", "Work Stream",
               targets=("msdyn_liveworkstream",)),
        Column("msdyn_enablefileattachmentsforcustomers", "Boolean",
               "Enable file attachments for customers"),
        Column("msdyn_enablefileattachmentsforagents", "Boolean",
               "Enable file attachments for agents"),
        Column("statecode", "State", "Status", required="SystemRequired", create=False,
               options=ACTIVE_INACTIVE_STATE),
        Column("statuscode", "Status", "Status Reason", options=ACTIVE_INACTIVE_STATUS),
    ),
    # No navigation properties: the page's relationship names are not in the sandbox's facts
    # and nothing binds them (channels are configured in Dynamics, read by the product).
    navs={},
)  # fmt: skip
