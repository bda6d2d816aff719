"""Change tracking on cases: full answer, delta links, removals, pages, expiry, refusals."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from dataverse_sandbox import cases, provisioning
from tests.dataverse_sandbox.case_helpers import new_case, relative, tracked

EXPIRED = "Version stamp associated with the client has expired. Please perform a full sync."


def test_it_answers_every_case_and_a_delta_link_for_a_tracked_query(dataverse):
    first, second = new_case(dataverse, "A - One"), new_case(dataverse, "B - Two")

    response = tracked(dataverse)

    body = response.json()
    assert response.status_code == 200
    assert response["Preference-Applied"] == "odata.track-changes"
    assert {row["incidentid"] for row in body["value"]} == {
        str(first.record_id),
        str(second.record_id),
    }
    link = urlsplit(body["@odata.deltaLink"])
    assert link.path.endswith("/api/data/v9.2/incidents")
    assert parse_qs(link.query)["$select"] == ["ticketnumber,statecode,statuscode,_ownerid_value"]
    version, _, stamp = parse_qs(link.query)["$deltatoken"][0].partition("!")
    assert version.isdigit() and len(stamp) == len("08/22/2017 08:10:44")
    assert "@odata.nextLink" not in body


def test_it_answers_only_what_changed_since_the_delta_link_and_removed_rows(dataverse):
    kept, changed, removed = (new_case(dataverse, f"T - {n}") for n in ("Kept", "Ch", "Gone"))
    delta = tracked(dataverse).json()["@odata.deltaLink"]

    cases.resolve(cases.rep_caller(dataverse.org), changed, "Refund issued")
    dataverse.call("DELETE", f"incidents({removed.record_id})")
    body = dataverse.get(relative(delta)).json()

    assert body["@odata.context"].endswith(
        "#incidents(ticketnumber,statecode,statuscode,_ownerid_value)/$delta"
    )
    rows = [row for row in body["value"] if "incidentid" in row]
    gone = [row for row in body["value"] if "reason" in row]
    assert [row["incidentid"] for row in rows] == [str(changed.record_id)]
    assert rows[0]["statecode"] == 1 and rows[0]["statuscode"] == 5
    assert gone == [
        {
            "@odata.context": "http://testserver/sandbox/contoso/api/data/v9.2/$metadata#incidents/$deletedEntity",
            "id": str(removed.record_id),
            "reason": "deleted",
        }
    ]
    assert str(kept.record_id) not in str(body)
    again = dataverse.get(relative(body["@odata.deltaLink"])).json()
    assert again["value"] == []


def test_it_pages_with_next_links_and_ends_with_the_delta_link(dataverse):
    made = {str(new_case(dataverse, f"P - {n}").record_id) for n in range(5)}
    prefer = "odata.track-changes,odata.maxpagesize=2"

    pages, response = [], tracked(dataverse, prefer=prefer)
    while True:
        body = response.json()
        pages.append([row["incidentid"] for row in body["value"]])
        if "@odata.nextLink" not in body:
            break
        assert "istracking=%22True%22" in body["@odata.nextLink"]
        response = dataverse.get(relative(body["@odata.nextLink"]), headers={"Prefer": prefer})

    assert [len(page) for page in pages] == [2, 2, 1]
    assert {row for page in pages for row in page} == made
    assert "@odata.deltaLink" in body
    assert "odata.maxpagesize=2" in response["Preference-Applied"]


def test_it_refuses_an_expired_delta_link_as_dataverse_does_and_starts_afresh(dataverse):
    new_case(dataverse)
    delta = tracked(dataverse).json()["@odata.deltaLink"]

    provisioning.expire_delta_tokens(dataverse.org)
    refused = dataverse.get(relative(delta))
    fresh = tracked(dataverse).json()

    assert refused.status_code == 400
    assert refused.json()["error"] == {"code": "0x80044352", "message": EXPIRED}
    assert len(fresh["value"]) == 1
    assert dataverse.get(relative(fresh["@odata.deltaLink"])).status_code == 200


def test_it_refuses_tracking_a_table_whose_change_tracking_is_off(dataverse):
    provisioning.set_change_tracking(dataverse.org, "incident", False)

    refused = tracked(dataverse)

    assert refused.status_code == 400
    assert refused.json()["error"] == {
        "code": "0x80072491",
        "message": "Entity incident isn't enabled for change tracking.",
    }


def test_it_refuses_query_options_change_tracking_does_not_support(dataverse):
    refused = tracked(dataverse, "incidents?$select=title&$filter=statecode eq 0")

    assert refused.status_code == 400
    assert refused.json()["error"]["message"] == (
        'The "$filter" query parameter isn\'t supported when Change Tracking is enabled.'
    )


def test_it_refuses_a_mangled_delta_token(dataverse):
    refused = dataverse.get("incidents?$select=title&$deltatoken=not-a-token")

    assert refused.status_code == 400
    assert "not-a-token" in refused.json()["error"]["message"]
