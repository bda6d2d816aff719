"""An org without Omnichannel has no conversations table, like the real service."""

from __future__ import annotations

from dataverse_sandbox import provisioning
from tests.dataverse_sandbox.conftest import Dataverse


def test_it_hides_conversations_without_omnichannel(client, db):
    org = provisioning.create_org("plain", omnichannel=False)
    api = Dataverse(client, org)

    listed = api.get("msdyn_ocliveworkitems?$top=1")
    created = api.post("msdyn_ocliveworkitems", {"subject": "chat"})
    described = api.get("EntityDefinitions(LogicalName='msdyn_ocliveworkitem')")

    assert listed.status_code == 404
    assert created.status_code == 404
    assert described.status_code == 404
    assert api.get("incidents?$top=1").status_code == 200


def test_it_serves_conversations_with_omnichannel(dataverse):
    assert dataverse.get("msdyn_ocliveworkitems?$top=1").json()["value"] == []
