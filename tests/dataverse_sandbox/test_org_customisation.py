"""An org can be customised like a real one: its metadata and its refusals both follow."""

from __future__ import annotations

import pytest

from dataverse_sandbox import provisioning
from tests.dataverse_sandbox.conftest import Dataverse

INCIDENT = "EntityDefinitions(LogicalName='incident')"


def new_case(dataverse: Dataverse, description: str):
    return dataverse.post(
        "incidents",
        {
            "title": "Long story",
            "description": description,
            "customerid_contact@odata.bind": f"/contacts({dataverse.new_contact()})",
        },
    )


def described_length(dataverse: Dataverse) -> int:
    path = f"{INCIDENT}/Attributes(LogicalName='description')"
    return dataverse.get(path).json()["MaxLength"]


def test_it_enforces_and_reports_a_widened_column(dataverse, org, client):
    other = Dataverse(client, provisioning.create_org("plain"))

    provisioning.set_column_max_length(org, "incident", "description", 4000)

    assert described_length(dataverse) == 4000
    assert new_case(dataverse, "x" * 4000).status_code == 204
    refused = new_case(dataverse, "x" * 4001)
    assert refused.status_code == 400
    assert "maximum allowed length of '4000'" in refused.json()["error"]["message"]
    assert described_length(other) == 2000
    assert new_case(other, "x" * 2001).status_code == 400


def test_it_reports_change_tracking_as_the_org_has_it(dataverse, org):
    before = dataverse.get(f"{INCIDENT}?$select=ChangeTrackingEnabled").json()

    provisioning.set_change_tracking(org, "incident", False)

    after = dataverse.get(f"{INCIDENT}?$select=ChangeTrackingEnabled").json()
    assert before["ChangeTrackingEnabled"] is True
    assert after["ChangeTrackingEnabled"] is False


@pytest.mark.parametrize(
    ("table", "column", "length", "says"),
    [
        ("incident", "nosuch", 10, "not a column"),
        ("incident", "prioritycode", 10, "not a text column"),
        ("incident", "description", 0, "above 0"),
    ],
)
def test_it_refuses_a_customisation_it_cannot_apply(org, table, column, length, says):
    with pytest.raises(ValueError, match=says):
        provisioning.set_column_max_length(org, table, column, length)
