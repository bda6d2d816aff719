"""AddToQueue and RetrieveUserPrivileges behave like the real actions."""

from __future__ import annotations

from dataverse_sandbox import provisioning
from tests.dataverse_sandbox.conftest import Dataverse


def new_case(dataverse) -> str:
    contact_id = dataverse.new_contact()
    body = {"title": "Queued", "customerid_contact@odata.bind": f"/contacts({contact_id})"}
    response = dataverse.post("incidents", body, headers={"Prefer": "return=representation"})
    return response.json()["incidentid"]


def add_to_queue(dataverse, queue_id: str, case_id: str):
    target = {"incidentid": case_id, "@odata.type": "Microsoft.Dynamics.CRM.incident"}
    return dataverse.post(
        f"queues({queue_id})/Microsoft.Dynamics.CRM.AddToQueue", {"Target": target}
    )


def test_it_puts_a_case_in_a_queue_once(dataverse, org):
    queue_id = dataverse.fields["default_queue_id"]
    case_id = new_case(dataverse)

    first = add_to_queue(dataverse, queue_id, case_id)
    again = add_to_queue(dataverse, queue_id, case_id)

    assert first.status_code == 200
    item_id = first.json()["QueueItemId"]
    items = provisioning.rows(org, "queueitem")
    assert [str(i.record_id) for i in items] == [item_id]
    assert items[0].data["objectid"]["id"] == case_id
    assert again.status_code == 400
    assert again.json()["error"]["code"] == "0x80040526"


def test_it_answers_404_for_a_missing_queue_or_case(dataverse):
    case_id = new_case(dataverse)
    queue_id = dataverse.fields["default_queue_id"]

    no_queue = add_to_queue(dataverse, "00000000-0000-0000-0000-0000000000bb", case_id)
    no_case = add_to_queue(dataverse, queue_id, "00000000-0000-0000-0000-0000000000cc")

    assert no_queue.status_code == 404
    assert no_case.status_code == 404


def test_it_lists_the_privileges_a_role_grants(client, org):
    granted = ["prvReadUser", "prvReadOrganization", "prvCreateIncident"]
    role = provisioning.add_role(org, "Narrow", granted)
    app = provisioning.add_app(org, "Narrow app", role=role)
    api = Dataverse(client, org, app)
    user_id = app.application_user_id

    response = api.get(f"systemusers({user_id})/Microsoft.Dynamics.CRM.RetrieveUserPrivileges")

    assert response.status_code == 200
    rows = response.json()["RolePrivileges"]
    assert {r["PrivilegeName"] for r in rows} == set(granted)
    assert all(r["Depth"] == "Global" and r["PrivilegeId"] for r in rows)


def test_it_adds_to_a_queue_with_only_append_to_on_queue(client, dataverse, org):
    case_id = new_case(dataverse)
    queue_id = dataverse.fields["default_queue_id"]
    only = provisioning.add_app(
        org, "Queue only", role=provisioning.add_role(org, "Q", ["prvAppendToQueue"])
    )
    without = provisioning.add_app(
        org, "No queue", role=provisioning.role_without(org, "NQ", ["prvAppendToQueue"])
    )

    allowed = add_to_queue(Dataverse(client, org, only), queue_id, case_id)
    refused = add_to_queue(Dataverse(client, org, without), queue_id, case_id)

    assert allowed.status_code == 200
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "0x80040220"
    assert "is missing prvAppendToQueue privilege" in refused.json()["error"]["message"]


def test_it_moves_a_case_from_another_queue(dataverse, org):
    case_id = new_case(dataverse)
    first_queue = dataverse.fields["default_queue_id"]
    created = dataverse.post(
        "queues", {"name": "Tier 2"}, headers={"Prefer": "return=representation"}
    )
    second_queue = created.json()["queueid"]

    first = add_to_queue(dataverse, first_queue, case_id)
    moved = add_to_queue(dataverse, second_queue, case_id)

    assert moved.status_code == 200
    assert moved.json()["QueueItemId"] == first.json()["QueueItemId"]
    items = provisioning.rows(org, "queueitem")
    assert [i.data["queueid"]["id"] for i in items] == [second_queue]
