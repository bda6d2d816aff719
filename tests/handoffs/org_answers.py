"""Dataverse answers for a well-set-up org, shaped like the real metadata and privilege APIs."""

from __future__ import annotations

from tests.handoffs.dynamics.fakes import FakeDynamics

USER_ID = "aaaaaaaa-0000-0000-0000-000000000001"
INCIDENT = "EntityDefinitions(LogicalName='incident')"

ALL_PRIVILEGES = [
    "prvReadContact",
    "prvCreateContact",
    "prvAppendToContact",
    "prvCreateIncident",
    "prvReadIncident",
    "prvAppendIncident",
    "prvAppendToIncident",
    "prvCreateNote",
    "prvAppendNote",
    "prvCreatemsdyn_ocliveworkitem",
    "prvReadmsdyn_ocliveworkitem",
    "prvAppendmsdyn_ocliveworkitem",
    "prvAppendTomsdyn_ocliveworkitem",
    "prvReadQueue",
    "prvAppendToQueue",
    "prvCreateQueueItem",
    "prvAppendQueueItem",
]


def label(text: str) -> dict:
    return {"UserLocalizedLabel": {"Label": text, "LanguageCode": 1033}}


def attribute(name: str, kind: str, create: bool = True, **extra: object) -> dict:
    type_name = {"MultiSelectPicklist": "MultiSelectPicklistType"}.get(kind, f"{kind}Type")
    return {
        "@odata.type": f"#Microsoft.Dynamics.CRM.{kind}AttributeMetadata",
        "LogicalName": name,
        "AttributeType": "Virtual" if kind == "MultiSelectPicklist" else kind,
        "AttributeTypeName": {"Value": type_name},
        "IsValidForCreate": create,
        "DisplayName": label(name.title()),
        **extra,
    }


INCIDENT_ATTRIBUTES = [
    attribute("incidentid", "Uniqueidentifier"),
    attribute("title", "String", MaxLength=200),
    attribute("description", "Memo", MaxLength=2000),
    attribute("ticketnumber", "String", create=False, MaxLength=100),
    attribute("customerid", "Customer", Targets=["account", "contact"]),
    attribute("primarycontactid", "Lookup", Targets=["contact"]),
    attribute("prioritycode", "Picklist"),
    attribute("casetypecode", "Picklist"),
    attribute("statecode", "State", create=False),
    attribute("new_productcode", "String", MaxLength=50),
    attribute("new_productid", "Lookup", Targets=["new_product"]),
    attribute("new_followupby", "DateTime"),
    attribute("new_escalated", "Boolean"),
    attribute("new_seats", "Integer"),
]


def options(*pairs: tuple[int, str]) -> dict:
    return {"Options": [{"Value": v, "Label": label(text)} for v, text in pairs]}


PICKLISTS = [
    {"LogicalName": "prioritycode", "OptionSet": options((1, "High"), (2, "Normal"), (3, "Low"))},
    {
        "LogicalName": "casetypecode",
        "OptionSet": options((1, "Question"), (2, "Problem"), (3, "Request")),
    },
]
RELATIONSHIPS = [
    {
        "ReferencingAttribute": "customerid",
        "ReferencingEntityNavigationPropertyName": "customerid_contact",
        "ReferencedEntity": "contact",
    },
    {
        "ReferencingAttribute": "customerid",
        "ReferencingEntityNavigationPropertyName": "customerid_account",
        "ReferencedEntity": "account",
    },
    {
        "ReferencingAttribute": "primarycontactid",
        "ReferencingEntityNavigationPropertyName": "primarycontactid",
        "ReferencedEntity": "contact",
    },
    {
        "ReferencingAttribute": "ownerid",
        "ReferencingEntityNavigationPropertyName": "ownerid",
        "ReferencedEntity": "owner",
    },
    {
        # A custom lookup: its navigation property keeps its SchemaName's capitals.
        "ReferencingAttribute": "new_productid",
        "ReferencingEntityNavigationPropertyName": "new_ProductId",
        "ReferencedEntity": "new_product",
    },
]


def relation(column: str, target: str, nav: str, collection: str = "") -> dict:
    row = {
        "ReferencingAttribute": column,
        "ReferencedEntity": target,
        "ReferencingEntityNavigationPropertyName": nav,
    }
    return {**row, "ReferencedEntityNavigationPropertyName": collection} if collection else row


# As Microsoft's table references declare them.
OTHER_RELATIONSHIPS = {
    "msdyn_ocliveworkitem": [
        relation("msdyn_customer", "contact", "msdyn_customer_msdyn_ocliveworkitem_contact"),
        relation("msdyn_customer", "account", "msdyn_customer_msdyn_ocliveworkitem_account"),
        relation("msdyn_cdsqueueid", "queue", "msdyn_cdsqueueid_msdyn_ocliveworkitem"),
        relation(
            "msdyn_liveworkstreamid",
            "msdyn_liveworkstream",
            "msdyn_liveworkstreamid_msdyn_ocliveworkitem",
        ),
        relation("ownerid", "owner", "ownerid_msdyn_ocliveworkitem"),
    ],
    "annotation": [
        relation("objectid", "incident", "objectid_incident", "Incident_Annotation"),
        relation(
            "objectid",
            "msdyn_ocliveworkitem",
            "objectid_msdyn_ocliveworkitem",
            "msdyn_ocliveworkitem_Annotations",
        ),
        relation("objectid", "contact", "objectid_contact", "Contact_Annotation"),
    ],
    "contact": [relation("ownerid", "owner", "ownerid")],
    "queueitem": [
        relation("queueid", "queue", "queueid"),
        relation("objectid", "incident", "objectid_incident", "Incident_QueueItem"),
    ],
}
TEXT_LENGTHS = {
    "incident": {
        "StringAttributeMetadata": {"title": 200},
        "MemoAttributeMetadata": {"description": 2000},
    },
    "msdyn_ocliveworkitem": {
        "StringAttributeMetadata": {"subject": 200},
        "MemoAttributeMetadata": {"description": 2000},
    },
    "annotation": {
        "StringAttributeMetadata": {"subject": 500, "filename": 255},
        "MemoAttributeMetadata": {"notetext": 100000},
    },
    "contact": {
        "StringAttributeMetadata": {
            "firstname": 50, "lastname": 50, "emailaddress1": 100, "mobilephone": 50,
            "telephone1": 50,
        },
        "MemoAttributeMetadata": {"description": 2000},
    },
}  # fmt: skip


def serve_org_schema(dynamics: FakeDynamics, widen: dict[tuple[str, str], int] | None = None):
    """The metadata verification reads for the tables a handoff writes (lengths widened on ask)."""
    widen = widen or {}
    for table, relations in OTHER_RELATIONSHIPS.items():
        path = f"EntityDefinitions(LogicalName='{table}')/ManyToOneRelationships"
        dynamics.add("GET", path, body={"value": relations})
    for table, casts in TEXT_LENGTHS.items():
        for cast, lengths in casts.items():
            rows = [
                {"LogicalName": name, "MaxLength": widen.get((table, name), length)}
                for name, length in lengths.items()
            ]
            path = (
                f"EntityDefinitions(LogicalName='{table}')/Attributes/Microsoft.Dynamics.CRM.{cast}"
            )
            dynamics.add("GET", path, body={"value": rows})


def serve_incident_metadata(dynamics: FakeDynamics) -> None:
    dynamics.add("GET", f"{INCIDENT}/Attributes", body={"value": INCIDENT_ATTRIBUTES})
    dynamics.add(
        "GET",
        f"{INCIDENT}/Attributes/Microsoft.Dynamics.CRM.PicklistAttributeMetadata",
        body={"value": PICKLISTS},
    )
    dynamics.add("GET", f"{INCIDENT}/ManyToOneRelationships", body={"value": RELATIONSHIPS})


def serve_privileges(dynamics: FakeDynamics, names: list[str], depth: str = "Global") -> None:
    rows = [{"PrivilegeName": n, "Depth": depth, "PrivilegeId": "0"} for n in names]
    dynamics.add(
        "GET",
        f"systemusers({USER_ID})/Microsoft.Dynamics.CRM.RetrieveUserPrivileges",
        body={"RolePrivileges": rows},
    )


def serve_healthy_org(dynamics: FakeDynamics, privileges: list[str] | None = None) -> None:
    """WhoAmI, full privileges and Omnichannel installed."""
    dynamics.add(
        "GET",
        "WhoAmI",
        body={"UserId": USER_ID, "BusinessUnitId": "b", "OrganizationId": "o"},
    )
    serve_privileges(dynamics, ALL_PRIVILEGES if privileges is None else privileges)
    dynamics.add("GET", "msdyn_ocliveworkitems", body={"value": []})
    serve_org_schema(dynamics)
    dynamics.add("GET", f"{INCIDENT}/ManyToOneRelationships", body={"value": RELATIONSHIPS})
