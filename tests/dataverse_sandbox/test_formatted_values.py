"""odata.include-annotations: formatted values of choices and lookups, only what was asked."""

from __future__ import annotations

from tests.dataverse_sandbox.case_helpers import FORMATTED, TRACKED_SELECT, new_case

LOOKUP = "@Microsoft.Dynamics.CRM.lookuplogicalname"


def test_it_labels_status_reasons_and_names_owners_when_formatted_values_are_asked(dataverse):
    case = new_case(dataverse)
    prefer = 'odata.include-annotations="OData.Community.Display.V1.FormattedValue"'

    row = dataverse.get(
        f"incidents({case.record_id})?$select=statuscode,_ownerid_value", headers={"Prefer": prefer}
    ).json()

    assert row[f"statuscode{FORMATTED}"] == "In Progress"
    assert row[f"_ownerid_value{FORMATTED}"] == "# OpenCX integration"
    assert f"_ownerid_value{LOOKUP}" not in row


def test_it_adds_every_annotation_for_a_star_and_none_without_the_preference(dataverse):
    new_case(dataverse)

    starred = dataverse.get(TRACKED_SELECT, headers={"Prefer": 'odata.include-annotations="*"'})
    plain = dataverse.get(TRACKED_SELECT)

    row = starred.json()["value"][0]
    assert row[f"_ownerid_value{LOOKUP}"] == "systemuser"
    assert row[f"statecode{FORMATTED}"] == "Active"
    assert not [key for key in plain.json()["value"][0] if "@" in key and key != "@odata.etag"]
