"""Read-only pages show what each org received: cases with notes, contacts, conversations."""

from __future__ import annotations

from urllib.parse import urlencode


def make_case(dataverse) -> dict:
    contact_id = dataverse.new_contact(lastname="Pagey")
    body = {
        "title": "Billing - Ada Pagey",
        "description": "Channel: Phone\nClassification: Billing\nSentiment: Negative",
        "customerid_contact@odata.bind": f"/contacts({contact_id})",
        "Incident_Annotation": [
            {"subject": "OpenCX transcript s-9", "notetext": "I was charged twice"}
        ],
    }
    headers = {"Prefer": "return=representation"}
    return dataverse.post("incidents?$select=ticketnumber", body, headers=headers).json()


def test_it_lists_cases_with_description_and_notes(client, dataverse):
    case = make_case(dataverse)

    page = client.get("/sandbox/contoso/").content.decode()

    assert "Billing - Ada Pagey" in page
    assert case["ticketnumber"] in page
    assert "Classification: Billing" in page
    assert "I was charged twice" in page
    assert "Customer Service Tier 1" in page  # the org's default queue


def test_it_shows_one_record_at_its_dynamics_style_url(client, dataverse):
    case = make_case(dataverse)
    query = urlencode(
        {"etn": "incident", "pagetype": "entityrecord", "id": "{" + case["incidentid"] + "}"}
    )

    response = client.get(f"/sandbox/contoso/main.aspx?{query}")

    page = response.content.decode()
    assert response.status_code == 200
    assert case["ticketnumber"] in page
    assert "Ada Pagey" in page  # the customer lookup, shown by name
    assert "OpenCX transcript s-9" in page


def test_it_answers_404_for_unknown_records(client, org):
    missing = client.get(
        "/sandbox/contoso/main.aspx?etn=incident&pagetype=entityrecord"
        "&id=00000000-0000-0000-0000-000000000001"
    )
    garbled = client.get("/sandbox/contoso/main.aspx?etn=incident&id=nope")

    assert missing.status_code == 404
    assert garbled.status_code == 404
