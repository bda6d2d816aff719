"""PATCH updates, upserts, and honours If-Match / If-None-Match."""

from __future__ import annotations

import uuid

MISSING = "contacts(00000000-0000-0000-0000-0000000000aa)"


def test_it_updates_an_existing_record(dataverse):
    contact_id = dataverse.new_contact()

    response = dataverse.patch(f"contacts({contact_id})", {"lastname": "Byron"})

    assert response.status_code == 204
    assert dataverse.get(f"contacts({contact_id})").json()["fullname"] == "Ada Byron"


def test_it_upserts_unless_if_match_says_update_only(dataverse):
    new_id = str(uuid.uuid4())

    refused = dataverse.patch(MISSING, {"lastname": "X"}, headers={"If-Match": "*"})
    created = dataverse.patch(f"contacts({new_id})", {"lastname": "New"})

    assert refused.status_code == 404
    assert refused.json()["error"]["code"] == "0x80040217"
    assert created.status_code == 204
    assert dataverse.get(f"contacts({new_id})").json()["lastname"] == "New"


def test_it_refuses_to_overwrite_with_if_none_match(dataverse):
    contact_id = dataverse.new_contact()

    response = dataverse.patch(
        f"contacts({contact_id})", {"lastname": "Other"}, headers={"If-None-Match": "*"}
    )

    assert response.status_code == 412
    assert response.json()["error"]["code"] == "0x80040237"
    assert dataverse.get(f"contacts({contact_id})").json()["lastname"] == "Lovelace"


def test_it_checks_the_row_version(dataverse):
    contact_id = dataverse.new_contact()
    etag = dataverse.get(f"contacts({contact_id})").json()["@odata.etag"]
    dataverse.patch(f"contacts({contact_id})", {"firstname": "Augusta"})

    stale = dataverse.patch(
        f"contacts({contact_id})", {"lastname": "X"}, headers={"If-Match": etag}
    )

    assert stale.status_code == 412


def test_it_keeps_the_ticket_number_read_only(dataverse):
    contact_id = dataverse.new_contact()
    case = dataverse.post(
        "incidents",
        {"title": "T", "customerid_contact@odata.bind": f"/contacts({contact_id})"},
        headers={"Prefer": "return=representation"},
    ).json()

    response = dataverse.patch(f"incidents({case['incidentid']})", {"ticketnumber": "CAS-1"})

    assert response.status_code == 400
