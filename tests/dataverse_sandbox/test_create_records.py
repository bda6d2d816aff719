"""POST creates rows like Dataverse: 204 or 201, client ids, duplicates, bindings, deep insert."""

from __future__ import annotations

import re
import uuid

from dataverse_sandbox import provisioning

REPRESENTATION = {"Prefer": "return=representation"}


def case_body(contact_id: str, **extra: object) -> dict:
    return {
        "title": "Billing",
        "customerid_contact@odata.bind": f"/contacts({contact_id})",
        **extra,
    }


def test_it_answers_204_with_the_entity_id(dataverse):
    response = dataverse.post("contacts", {"lastname": "Hopper"})

    assert response.status_code == 204
    assert re.fullmatch(
        r"http://testserver/sandbox/contoso/api/data/v9\.2/contacts\([0-9a-f-]{36}\)",
        response["OData-EntityId"],
    )


def test_it_returns_the_selected_columns_on_request(dataverse):
    contact_id = dataverse.new_contact()

    response = dataverse.post(
        "incidents?$select=ticketnumber,title", case_body(contact_id), headers=REPRESENTATION
    )

    assert response.status_code == 201
    assert response["Preference-Applied"] == "return=representation"
    body = response.json()
    assert set(body) == {"@odata.context", "@odata.etag", "ticketnumber", "title", "incidentid"}
    assert re.fullmatch(r"CAS-\d{5}-[A-Z0-9]{6}", body["ticketnumber"])


def test_it_keeps_a_client_supplied_id_and_refuses_it_twice(dataverse):
    contact_id = str(uuid.uuid4())

    first = dataverse.post("contacts", {"contactid": contact_id, "lastname": "Twice"})
    second = dataverse.post("contacts", {"contactid": contact_id, "lastname": "Twice"})

    assert first["OData-EntityId"].endswith(f"contacts({contact_id})")
    assert second.status_code == 412
    assert second.json()["error"]["code"] == "0x80040237"


def test_it_refuses_unknown_properties_and_long_values(dataverse):
    unknown = dataverse.post("contacts", {"lastname": "X", "nickname": "Y"})
    too_long = dataverse.post("contacts", {"lastname": "X" * 51})

    assert unknown.status_code == 400
    assert unknown.json()["error"]["code"] == "0x0"
    assert (
        "Invalid property 'nickname' was found in entity 'Microsoft.Dynamics.CRM.contact'."
        in unknown.json()["error"]["message"]
    )
    assert too_long.status_code == 400
    assert too_long.json()["error"]["code"] == "0x80044331"
    assert too_long.json()["error"]["message"] == (
        "A validation error occurred.  The length of the 'lastname' attribute of the 'contact' "
        "entity exceeded the maximum allowed length of '50'."
    )


def test_it_refuses_a_case_without_customer(dataverse):
    response = dataverse.post("incidents", {"title": "Orphan"})

    assert response.status_code == 400
    assert response.json()["error"]["message"] == "You should specify a parent contact or account."


def test_it_answers_404_for_a_binding_to_a_missing_record(dataverse):
    missing = str(uuid.uuid4())

    response = dataverse.post("incidents", case_body(missing))

    assert response.status_code == 404
    assert response.json()["error"] == {
        "code": "0x80040217",
        "message": f"contact With Id = {missing} Does Not Exist",
    }
    assert provisioning.rows(dataverse.org, "incident") == []


def test_it_numbers_cases_and_keeps_a_number_sent_on_create(dataverse):
    contact_id = dataverse.new_contact()

    kept = dataverse.post(
        "incidents", case_body(contact_id, ticketnumber="CAS-99999-AAAAAA"), headers=REPRESENTATION
    ).json()
    first = dataverse.post("incidents", case_body(contact_id), headers=REPRESENTATION).json()
    second = dataverse.post("incidents", case_body(contact_id), headers=REPRESENTATION).json()
    changed = dataverse.patch(f"incidents({first['incidentid']})", {"ticketnumber": "CAS-1"})

    assert kept["ticketnumber"] == "CAS-99999-AAAAAA"
    assert first["ticketnumber"] != second["ticketnumber"]
    assert int(second["ticketnumber"][4:9]) == int(first["ticketnumber"][4:9]) + 1
    assert changed.status_code == 400
    assert "ticketnumber" in changed.json()["error"]["message"]


def test_it_deep_inserts_notes_with_the_case(dataverse):
    contact_id = dataverse.new_contact()
    note = {"subject": "OpenCX transcript s-1", "notetext": "customer: hello"}

    response = dataverse.post("incidents", case_body(contact_id, Incident_Annotation=[note]))

    case_id = response["OData-EntityId"].rsplit("(", 1)[1].rstrip(")")
    notes = dataverse.get(f"annotations?$filter=_objectid_value eq {case_id}").json()["value"]
    assert [n["notetext"] for n in notes] == ["customer: hello"]
    assert notes[0]["objecttypecode"] == "incident"


def test_it_stores_attachments_and_refuses_bad_base64(dataverse):
    contact_id = dataverse.new_contact()
    ok = dataverse.post(
        "annotations",
        {
            "subject": "file",
            "filename": "t.txt",
            "mimetype": "text/plain",
            "documentbody": "aGVsbG8=",
            "objectid_contact@odata.bind": f"/contacts({contact_id})",
        },
        headers=REPRESENTATION,
    )
    bad = dataverse.post("annotations", {"subject": "file", "documentbody": "%%%"})

    assert ok.status_code == 201
    assert ok.json()["isdocument"] is True and ok.json()["filesize"] == 5
    assert bad.status_code == 400


def test_it_links_a_conversation_to_its_customer_and_channel(dataverse):
    contact_id = dataverse.new_contact()

    response = dataverse.post(
        "msdyn_ocliveworkitems",
        {
            "subject": "Web chat",
            "msdyn_channel": "192360000",
            "msdyn_customer_msdyn_ocliveworkitem_contact@odata.bind": f"/contacts({contact_id})",
        },
        headers=REPRESENTATION,
    )

    body = response.json()
    assert response.status_code == 201
    assert body["_msdyn_customer_value"] == contact_id
    assert body["msdyn_channel"] == "192360000"


def test_it_deep_inserts_a_queue_item_once_per_case(dataverse, org):
    queue_id = dataverse.fields["default_queue_id"]
    item = {"queueid@odata.bind": f"/queues({queue_id})"}

    response = dataverse.post(
        "incidents", case_body(dataverse.new_contact(), Incident_QueueItem=[item])
    )
    twice = dataverse.post(
        "incidents", case_body(dataverse.new_contact(), Incident_QueueItem=[item, item])
    )

    assert response.status_code == 204
    items = provisioning.rows(org, "queueitem")
    assert [(i.data["queueid"]["id"], i.data["title"]) for i in items] == [(queue_id, "Billing")]
    assert twice.status_code == 400
    assert twice.json()["error"]["code"] == "0x80040526"
    assert len(provisioning.rows(org, "incident")) == 1
