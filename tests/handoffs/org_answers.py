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
]


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
