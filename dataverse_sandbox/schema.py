"""The tables the sandbox serves: columns, limits, option sets and navigation properties.

Names, types and limits follow Microsoft's table references (incident, contact, annotation,
queue, systemuser, msdyn_ocliveworkitem); see docs/sandbox.md for what is left out.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    label: str = ""
    max_length: int | None = None
    required: str = "None"
    create: bool = True
    update: bool = True
    options: dict[int, str] = field(default_factory=dict)
    targets: tuple[str, ...] = ()

    @property
    def is_lookup(self) -> bool:
        return self.type in ("Lookup", "Customer", "Owner")


@dataclass(frozen=True)
class Table:
    logical: str
    entity_set: str
    pk: str
    primary_name: str
    otc: int
    privilege: str  # the <Entity> part of prv<Verb><Entity>
    columns: dict[str, Column]
    # single-valued navigation property -> (lookup column, target table)
    navs: dict[str, tuple[str, str]]
    # collection navigation property -> (child table, child's navigation property back to us)
    collections: dict[str, tuple[str, str]] = field(default_factory=dict)
    display: str = ""


def _cols(*columns: Column) -> dict[str, Column]:
    return {c.name: c for c in columns}


def _common(pk: str) -> tuple[Column, ...]:
    return (
        Column(pk, "Uniqueidentifier", "Id", update=False),
        Column("createdon", "DateTime", "Created On", create=False, update=False),
        Column("modifiedon", "DateTime", "Modified On", create=False, update=False),
        Column("ownerid", "Owner", "Owner", targets=("systemuser",)),
        Column("versionnumber", "BigInt", "Version Number", create=False, update=False),
    )


PRIORITY = {1: "High", 2: "Normal", 3: "Low"}
ORIGIN = {1: "Phone", 2: "Email", 3: "Web", 2483: "Facebook", 3986: "Twitter", 700610000: "IoT"}
CASE_TYPE = {1: "Question", 2: "Problem", 3: "Request"}
CASE_STATE = {0: "Active", 1: "Resolved", 2: "Canceled"}
CASE_STATUS = {
    1: "In Progress", 2: "On Hold", 3: "Waiting for Details", 4: "Researching",
    5: "Problem Solved", 1000: "Information Provided", 6: "Cancelled", 2000: "Merged",
}  # fmt: skip
REGION = {100000000: "North America", 100000001: "Europe", 100000002: "Asia Pacific"}
STREAM_SOURCE = {
    19241000: "Microsoft Teams", 192300000: "WhatsApp", 192310000: "LINE", 192320000: "WeChat",
    192330000: "Facebook", 192340000: "SMS", 192350000: "Entity Records", 192350001: "Twitter",
    192350002: "Custom", 192360000: "Live chat", 192370000: "Voice", 192380000: "Video",
}  # fmt: skip
CONVERSATION_STATE = {0: "Open", 1: "Active", 2: "Waiting", 3: "Closed", 4: "Wrap-up"}
CONVERSATION_STATUS = {1: "Open", 2: "Active", 3: "Waiting", 4: "Closed", 5: "Wrap-up"}

INCIDENT = Table(
    "incident", "incidents", "incidentid", "title", 112, "Incident", display="Case",
    columns=_cols(
        *_common("incidentid"),
        Column("title", "String", "Case Title", 200, "ApplicationRequired"),
        Column("description", "Memo", "Description", 2000),
        Column("ticketnumber", "String", "Case Number", 100, create=False, update=False),
        Column("customerid", "Customer", "Customer", required="SystemRequired",
               targets=("contact", "account")),
        Column("primarycontactid", "Lookup", "Contact", targets=("contact",)),
        Column("caseorigincode", "Picklist", "Origin", options=ORIGIN),
        Column("prioritycode", "Picklist", "Priority", options=PRIORITY),
        Column("casetypecode", "Picklist", "Case Type", options=CASE_TYPE),
        Column("statecode", "State", "Status", create=False, options=CASE_STATE),
        Column("statuscode", "Status", "Status Reason", options=CASE_STATUS),
        Column("emailaddress", "String", "Email Address", 100),
        Column("parentcaseid", "Lookup", "Parent Case", targets=("incident",)),
        Column("new_productcode", "String", "Product code", 50),
        Column("new_region", "Picklist", "Region", options=REGION),
    ),
    navs={
        "customerid_contact": ("customerid", "contact"),
        "customerid_account": ("customerid", "account"),
        "primarycontactid": ("primarycontactid", "contact"),
        "ownerid": ("ownerid", "systemuser"),
        "parentcaseid": ("parentcaseid", "incident"),
    },
    collections={"Incident_Annotation": ("annotation", "objectid_incident")},
)  # fmt: skip

CONTACT = Table(
    "contact", "contacts", "contactid", "fullname", 2, "Contact", display="Contact",
    columns=_cols(
        *_common("contactid"),
        Column("firstname", "String", "First Name", 50),
        Column("lastname", "String", "Last Name", 50, "ApplicationRequired"),
        Column("fullname", "String", "Full Name", 160, create=False, update=False),
        Column("emailaddress1", "String", "Email", 100),
        Column("telephone1", "String", "Business Phone", 50),
        Column("mobilephone", "String", "Mobile Phone", 50),
        Column("description", "Memo", "Description", 2000),
        Column("statecode", "State", "Status", create=False, options={0: "Active", 1: "Inactive"}),
        Column("statuscode", "Status", "Status Reason", options={1: "Active", 2: "Inactive"}),
    ),
    navs={"ownerid": ("ownerid", "systemuser")},
    collections={"Contact_Annotation": ("annotation", "objectid_contact")},
)  # fmt: skip

ANNOTATION = Table(
    "annotation", "annotations", "annotationid", "subject", 5, "Note", display="Note",
    columns=_cols(
        *_common("annotationid"),
        Column("subject", "String", "Title", 500, "ApplicationRequired"),
        Column("notetext", "Memo", "Description", 100000),
        Column("filename", "String", "File Name", 255),
        Column("mimetype", "String", "Mime Type", 256),
        Column("documentbody", "String", "Document", 1073741823),
        Column("filesize", "Integer", "File Size (Bytes)", create=False, update=False),
        Column("isdocument", "Boolean", "Is Document", required="SystemRequired"),
        Column("objectid", "Lookup", "Regarding",
               targets=("incident", "contact", "msdyn_ocliveworkitem")),
        Column("objecttypecode", "EntityName", "Object Type", create=False, update=False),
    ),
    navs={
        "objectid_incident": ("objectid", "incident"),
        "objectid_contact": ("objectid", "contact"),
        "objectid_msdyn_ocliveworkitem": ("objectid", "msdyn_ocliveworkitem"),
        "ownerid": ("ownerid", "systemuser"),
    },
)  # fmt: skip

QUEUE = Table(
    "queue", "queues", "queueid", "name", 2020, "Queue", display="Queue",
    columns=_cols(
        *_common("queueid"),
        Column("name", "String", "Name", 400, "SystemRequired"),
        Column("description", "Memo", "Description", 2000),
        Column("emailaddress", "String", "Incoming Email", 100),
    ),
    navs={"ownerid": ("ownerid", "systemuser")},
)  # fmt: skip

QUEUEITEM = Table(
    "queueitem", "queueitems", "queueitemid", "title", 2029, "QueueItem", display="Queue item",
    columns=_cols(
        Column("queueitemid", "Uniqueidentifier", "Id", update=False),
        Column("createdon", "DateTime", "Created On", create=False, update=False),
        Column("modifiedon", "DateTime", "Modified On", create=False, update=False),
        Column("title", "String", "Title", 300, create=False, update=False),
        Column("queueid", "Lookup", "Queue", required="SystemRequired", targets=("queue",)),
        Column("objectid", "Lookup", "Object", required="SystemRequired",
               targets=("incident", "msdyn_ocliveworkitem")),
        Column("objecttypecode", "EntityName", "Type", create=False, update=False),
    ),
    navs={"queueid": ("queueid", "queue")},
)  # fmt: skip

SYSTEMUSER = Table(
    "systemuser", "systemusers", "systemuserid", "fullname", 8, "User", display="User",
    columns=_cols(
        Column("systemuserid", "Uniqueidentifier", "User", update=False),
        Column("createdon", "DateTime", "Created On", create=False, update=False),
        Column("modifiedon", "DateTime", "Modified On", create=False, update=False),
        Column("fullname", "String", "Full Name", 200, create=False, update=False),
        Column("firstname", "String", "First Name", 64),
        Column("lastname", "String", "Last Name", 64, "SystemRequired"),
        Column("internalemailaddress", "String", "Primary Email", 100),
        Column("domainname", "String", "User Name", 1024),
        Column("applicationid", "Uniqueidentifier", "Application ID"),
        Column("azureactivedirectoryobjectid", "Uniqueidentifier", "Azure AD Object ID"),
        Column("isdisabled", "Boolean", "Status", create=False),
        Column("businessunitid", "Lookup", "Business Unit", targets=("businessunit",)),
    ),
    navs={},
)  # fmt: skip

LIVE_WORK_ITEM = Table(
    "msdyn_ocliveworkitem", "msdyn_ocliveworkitems", "activityid", "subject", 10702,
    "msdyn_ocliveworkitem", display="Conversation",
    columns=_cols(
        *_common("activityid"),
        Column("subject", "String", "Subject", 400, "ApplicationRequired"),
        Column("description", "Memo", "Description", 100000),
        Column("msdyn_title", "String", "Title", 100),
        Column("msdyn_channel", "MultiSelectPicklist", "Channel", options=STREAM_SOURCE),
        Column("msdyn_customer", "Customer", "Customer", targets=("contact", "account")),
        Column("msdyn_cdsqueueid", "Lookup", "Queue", targets=("queue",)),
        Column("msdyn_liveworkstreamid", "Lookup", "Work stream",
               targets=("msdyn_liveworkstream",)),
        Column("regardingobjectid", "Lookup", "Regarding", targets=("incident",)),
        Column("statecode", "State", "Status", create=False, options=CONVERSATION_STATE),
        Column("statuscode", "Status", "Status Reason", options=CONVERSATION_STATUS),
        Column("msdyn_customerlanguageid", "String", "Customer language", 100),
    ),
    navs={
        "msdyn_customer_msdyn_ocliveworkitem_contact": ("msdyn_customer", "contact"),
        "msdyn_customer_msdyn_ocliveworkitem_account": ("msdyn_customer", "account"),
        "msdyn_cdsqueueid": ("msdyn_cdsqueueid", "queue"),
        "msdyn_liveworkstreamid": ("msdyn_liveworkstreamid", "msdyn_liveworkstream"),
        "regardingobjectid_incident_msdyn_ocliveworkitem": ("regardingobjectid", "incident"),
        "ownerid": ("ownerid", "systemuser"),
    },
    collections={
        "msdyn_ocliveworkitem_Annotations": ("annotation", "objectid_msdyn_ocliveworkitem"),
    },
)  # fmt: skip

ACCOUNT = Table(
    "account", "accounts", "accountid", "name", 1, "Account", display="Account",
    columns=_cols(
        *_common("accountid"),
        Column("name", "String", "Account Name", 160, "ApplicationRequired"),
        Column("emailaddress1", "String", "Email", 100),
        Column("telephone1", "String", "Main Phone", 50),
    ),
    navs={"ownerid": ("ownerid", "systemuser")},
)  # fmt: skip

WORKSTREAM = Table(
    "msdyn_liveworkstream", "msdyn_liveworkstreams", "msdyn_liveworkstreamid", "msdyn_name",
    10703, "msdyn_liveworkstream", display="Work stream",
    columns=_cols(
        *_common("msdyn_liveworkstreamid"),
        Column("msdyn_name", "String", "Name", 100, "ApplicationRequired"),
    ),
    navs={"ownerid": ("ownerid", "systemuser")},
)  # fmt: skip

# Reference: https://learn.microsoft.com/en-us/dynamics365/customer-service/develop/reference/entities/msdyn_occustommessagingchannel
# Options of msdyn_occustomchannelid; 192350005 "Messaging API" is from
# https://learn.microsoft.com/en-us/dynamics365/contact-center/extend/configure-custom-messaging-channel
CUSTOM_CHANNEL = {
    192350000: "Direct Line", 192350001: "Kik", 192350002: "Telegram",
    192350004: "Google's Business Messages", 192350005: "Messaging API",
}  # fmt: skip
CUSTOM_MESSAGING_CHANNEL = Table(
    "msdyn_occustommessagingchannel", "msdyn_occustommessagingchannels",
    "msdyn_occustommessagingchannelid", "msdyn_name", 10704, "msdyn_occustommessagingchannel",
    display="Custom messaging channel",
    columns=_cols(
        *_common("msdyn_occustommessagingchannelid"),
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
        Column("statecode", "State", "Status", create=False, options={0: "Active", 1: "Inactive"}),
        Column("statuscode", "Status", "Status Reason", options={1: "Active", 2: "Inactive"}),
    ),
    navs={
        "msdyn_liveworkstreamid": ("msdyn_liveworkstreamid", "msdyn_liveworkstream"),
        "ownerid": ("ownerid", "systemuser"),
    },
)  # fmt: skip

TABLES: dict[str, Table] = {
    t.logical: t
    for t in (
        INCIDENT, CONTACT, ACCOUNT, ANNOTATION, QUEUE, QUEUEITEM, SYSTEMUSER, LIVE_WORK_ITEM,
        WORKSTREAM, CUSTOM_MESSAGING_CHANNEL,
    )
}  # fmt: skip
BY_SET: dict[str, Table] = {t.entity_set: t for t in TABLES.values()}
# Tables that exist only when the Omnichannel solution is installed.
OMNICHANNEL_TABLES = frozenset(
    {"msdyn_ocliveworkitem", "msdyn_liveworkstream", "msdyn_occustommessagingchannel"}
)
# Targets that are valid in a binding but whose rows the sandbox does not serve.
EXTERNAL_TARGETS = frozenset({"businessunit"})
PUBLIC_SETS = ("contacts", "accounts", "incidents", "annotations", "queues",
               "msdyn_ocliveworkitems", "msdyn_liveworkstreams", "systemusers",
               "msdyn_occustommessagingchannels")  # fmt: skip


def table_for_set(entity_set: str, *, omnichannel: bool) -> Table | None:
    """The table served under `entity_set`, or None (404) when the org lacks it."""
    table = BY_SET.get(entity_set)
    if table is None or entity_set not in PUBLIC_SETS:
        return None
    if table.logical in OMNICHANNEL_TABLES and not omnichannel:
        return None
    return table
