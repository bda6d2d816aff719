"""Cases in a sandbox org, created through its Web API as the integration creates them."""

from __future__ import annotations

from urllib.parse import urlsplit

from dataverse_sandbox.models import Record

FORMATTED = "@OData.Community.Display.V1.FormattedValue"
TRACKED_SELECT = "incidents?$select=ticketnumber,statecode,statuscode,_ownerid_value"


def new_case(dataverse, title: str = "Billing - Maria Keller") -> Record:
    """A case for a fresh contact; the row as the sandbox stores it."""
    contact = dataverse.new_contact(emailaddress1=f"{title.split()[-1].lower()}@example.com")
    response = dataverse.post(
        "incidents?$select=incidentid,ticketnumber",
        {"title": title, "customerid_contact@odata.bind": f"/contacts({contact})"},
        headers={"Prefer": "return=representation"},
    )
    assert response.status_code == 201, response.content
    return Record.objects.get(record_id=response.json()["incidentid"])


def relative(link: str) -> str:
    """A next or delta link as a path under the Web API base (the test client has no host)."""
    parts = urlsplit(link)
    path = parts.path.split("/api/data/v9.2/", 1)[1]
    return f"{path}?{parts.query}"


def tracked(dataverse, path: str = TRACKED_SELECT, prefer: str = "odata.track-changes"):
    return dataverse.get(path, headers={"Prefer": prefer})
