"""A body Dataverse would refuse is refused with Dataverse's status, code and wording."""

from __future__ import annotations

import uuid

from dataverse_sandbox import provisioning

REPRESENTATION = {"Prefer": "return=representation"}
UNDECLARED = (
    "An undeclared property 'msdyn_cdsqueueid' which only has property annotations in the "
    "payload but no property value was found in the payload. In OData, only declared "
    "navigation properties and declared named streams can be represented as properties "
    "without values."
)


def conversation(contact_id: str, **extra: object) -> dict:
    return {
        "subject": "Web chat",
        "msdyn_channel": "192360000",
        "msdyn_customer_msdyn_ocliveworkitem_contact@odata.bind": f"/contacts({contact_id})",
        **extra,
    }


def test_it_refuses_a_lookup_bound_by_its_column_name(dataverse):
    queue_id = dataverse.fields["default_queue_id"]
    body = conversation(
        dataverse.new_contact(), **{"msdyn_cdsqueueid@odata.bind": f"/queues({queue_id})"}
    )

    response = dataverse.post("msdyn_ocliveworkitems", body)

    error = response.json()["error"]
    assert response.status_code == 400
    assert error["code"] == "0x80048d19"
    assert error["message"].startswith(
        "Error identified in Payload provided by the user for Entity :'msdyn_ocliveworkitems'"
    )
    assert UNDECLARED in error["message"]
    assert provisioning.rows(dataverse.org, "msdyn_ocliveworkitem") == []


def test_it_binds_a_conversation_by_the_page_s_navigation_names(dataverse, org):
    queue_id = dataverse.fields["default_queue_id"]
    stream = provisioning.rows(org, "msdyn_liveworkstream")[0]
    owner = provisioning.rows(org, "systemuser")[0]
    body = conversation(
        dataverse.new_contact(),
        **{
            "msdyn_cdsqueueid_msdyn_ocliveworkitem@odata.bind": f"/queues({queue_id})",
            "msdyn_liveworkstreamid_msdyn_ocliveworkitem@odata.bind": (
                f"/msdyn_liveworkstreams({stream.record_id})"
            ),
            "ownerid_msdyn_ocliveworkitem@odata.bind": f"/systemusers({owner.record_id})",
        },
    )

    response = dataverse.post("msdyn_ocliveworkitems", body, headers=REPRESENTATION)

    row = response.json()
    assert response.status_code == 201
    assert row["_msdyn_cdsqueueid_value"] == queue_id
    assert row["_msdyn_liveworkstreamid_value"] == str(stream.record_id)
    assert row["_ownerid_value"] == str(owner.record_id)


def test_it_counts_text_length_in_utf16_code_units(dataverse):
    fits = dataverse.post("contacts", {"lastname": "a" * 48 + "😀"})  # 48 + 2 = 50 units
    accented = dataverse.post("contacts", {"lastname": "é" * 50})  # one unit each
    over = dataverse.post("contacts", {"lastname": "a" * 49 + "😀"})  # 51 units, 50 characters

    assert fits.status_code == 204
    assert accented.status_code == 204
    assert over.status_code == 400
    assert over.json()["error"]["code"] == "0x80044331"
    assert "maximum allowed length of '50'" in over.json()["error"]["message"]


def test_it_takes_channels_only_as_a_string_of_option_numbers(dataverse):
    contact_id = dataverse.new_contact()

    def send(channel: object):
        body = conversation(contact_id, msdyn_channel=channel)
        return dataverse.post("msdyn_ocliveworkitems", body, headers=REPRESENTATION)

    as_number = send(192360000)
    as_list = send(["192360000"])
    unknown = send("192360001")
    two = send("192360000, 192340000")

    assert as_number.status_code == 400
    assert as_number.json()["error"]["code"] == "0x80048d19"
    assert (
        "Cannot convert a value of type 'Edm.Int32' to the expected target type 'Edm.String'."
        in as_number.json()["error"]["message"]
    )
    assert as_list.status_code == 400
    assert "'StartArray' node" in as_list.json()["error"]["message"]
    assert unknown.status_code == 400
    assert unknown.json()["error"]["code"] == "0x8004431a"
    assert two.status_code == 201
    assert two.json()["msdyn_channel"] == "192360000,192340000"


def test_it_answers_404_when_a_deep_inserted_note_binds_a_missing_record(dataverse, org):
    missing = str(uuid.uuid4())
    note = {"subject": "t", "notetext": "x", "ownerid@odata.bind": f"/systemusers({missing})"}
    body = {
        "title": "With note",
        "customerid_contact@odata.bind": f"/contacts({dataverse.new_contact()})",
        "Incident_Annotation": [note],
    }

    response = dataverse.post("incidents", body)

    assert response.status_code == 404
    assert response.json()["error"] == {
        "code": "0x80040217",
        "message": f"systemuser With Id = {missing} Does Not Exist",
    }
    assert provisioning.rows(org, "incident") == []
    assert provisioning.rows(org, "annotation") == []


def test_it_refuses_a_lookup_sent_as_a_plain_column(dataverse):
    response = dataverse.post("incidents", {"title": "x", "customerid": str(uuid.uuid4())})

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "0x0"
    assert "Invalid property 'customerid'" in response.json()["error"]["message"]
