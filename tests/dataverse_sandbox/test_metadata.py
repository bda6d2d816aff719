"""EntityDefinitions describe the case table: types, lengths, create flags, options, lookups."""

from __future__ import annotations

from dataverse_sandbox.schema import TABLES

INCIDENT = "EntityDefinitions(LogicalName='incident')"


def test_it_describes_the_incident_table(dataverse):
    body = dataverse.get(f"{INCIDENT}?$select=LogicalName,EntitySetName,PrimaryIdAttribute").json()

    assert body["EntitySetName"] == "incidents"
    assert body["PrimaryIdAttribute"] == "incidentid"
    assert body["MetadataId"]


def test_it_lists_columns_with_types_and_limits(dataverse):
    rows = dataverse.get(f"{INCIDENT}/Attributes").json()["value"]
    columns = {row["LogicalName"]: row for row in rows}

    assert columns["title"]["MaxLength"] == 200
    assert columns["description"]["AttributeType"] == "Memo"
    assert columns["ticketnumber"]["IsValidForCreate"] is True
    assert columns["ticketnumber"]["IsValidForUpdate"] is False
    assert columns["customerid"]["Targets"] == ["account", "contact"]
    assert columns["new_productcode"]["MaxLength"] == 50
    assert columns["new_region"]["AttributeType"] == "Picklist"


def test_it_expands_picklist_options(dataverse):
    path = f"{INCIDENT}/Attributes/Microsoft.Dynamics.CRM.PicklistAttributeMetadata"

    rows = dataverse.get(path + "?$select=LogicalName&$expand=OptionSet($select=Options)").json()

    options = {
        row["LogicalName"]: {o["Value"] for o in row["OptionSet"]["Options"]}
        for row in rows["value"]
    }
    assert options["prioritycode"] == {1, 2, 3}
    assert {1, 2, 3} <= options["caseorigincode"]
    assert options["casetypecode"] == {1, 2, 3}
    assert "title" not in options


def test_it_lists_lookup_navigation_properties(dataverse):
    rows = dataverse.get(f"{INCIDENT}/ManyToOneRelationships").json()["value"]

    navs = {r["ReferencingEntityNavigationPropertyName"]: r["ReferencingAttribute"] for r in rows}
    assert navs["customerid_contact"] == "customerid"
    assert navs["customerid_account"] == "customerid"
    assert navs["ownerid"] == "ownerid"


def test_it_answers_404_for_an_unknown_table(dataverse):
    response = dataverse.get("EntityDefinitions(LogicalName='nosuchtable')")

    assert response.status_code == 404


def test_it_lists_the_navigation_properties_it_enforces(dataverse):
    path = "EntityDefinitions(LogicalName='msdyn_ocliveworkitem')/ManyToOneRelationships"

    rows = dataverse.get(path).json()["value"]

    navs = {r["ReferencingEntityNavigationPropertyName"]: r for r in rows}
    assert set(navs) == set(TABLES["msdyn_ocliveworkitem"].navs)
    assert navs["msdyn_cdsqueueid_msdyn_ocliveworkitem"]["ReferencingAttribute"] == (
        "msdyn_cdsqueueid"
    )
    assert navs["ownerid_msdyn_ocliveworkitem"]["ReferencedEntity"] == "owner"
    assert "msdyn_cdsqueueid" not in navs
