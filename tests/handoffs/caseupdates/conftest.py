"""Change tracking on cases at the HTTP boundary, and sessions whose cases it reports."""

from __future__ import annotations

import json
import re
import uuid
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from django.utils import timezone

from handoffs.caseupdates.snapshot import SELECT
from handoffs.models import HandoffSession, OutboundEvent, Tenant
from tests.handoffs.dynamics.fakes import API, dataverse_error

CALLBACK = "https://opencx.example.com/hooks/dynamics"
APP_USER = "a0a0a0a0-0000-4000-8000-000000000001"
AVERY = "a0a0a0a0-0000-4000-8000-000000000002"
FORMATTED = "@OData.Community.Display.V1.FormattedValue"
EXPIRED = dataverse_error(
    "0x80044352",
    "Version stamp associated with the client has expired. Please perform a full sync.",
)


def case(
    incident_id: str,
    state: int = 0,
    status: int = 1,
    reason: str = "In Progress",
    owner: tuple[str, str] = (APP_USER, "# OpenCX integration"),
    modified: str = "2026-11-30T10:15:00Z",
) -> dict:
    """An incident row as a tracked query answers it, with formatted values."""
    return {
        "@odata.etag": 'W/"1"',
        "incidentid": incident_id,
        "statecode": state,
        "statuscode": status,
        f"statuscode{FORMATTED}": reason,
        "_ownerid_value": owner[0],
        f"_ownerid_value{FORMATTED}": owner[1],
        "_createdby_value": APP_USER,
        "modifiedon": modified,
    }


def resolved(incident_id: str, **changes) -> dict:
    return case(incident_id, state=1, status=5, reason="Problem Solved", **changes)


def removed(incident_id: str) -> dict:
    return {
        "@odata.context": f"{API}$metadata#incidents/$deletedEntity",
        "id": incident_id,
        "reason": "deleted",
    }


def link(name: str, value: str) -> str:
    return f"{API}incidents?$select={SELECT}&{name}={quote(value, safe='')}"


class CaseFeed:
    """Answers to `incidents` tracked queries and `incidentresolutions` queries, by token."""

    def __init__(self, dynamics) -> None:
        self.dynamics = dynamics
        self.answers: dict[str, tuple[int, dict, dict]] = {}
        self.texts: dict[str, str] = {}
        pattern = re.compile(re.escape(API) + r"incidents(\?.*)?$")
        dynamics.mock.add_callback("GET", pattern, callback=self._cases)
        resolutions = re.compile(re.escape(API) + r"incidentresolutions(\?.*)?$")
        dynamics.mock.add_callback("GET", resolutions, callback=self._resolutions)

    def serve(self, token: str, rows: list, *, next_page: str = "", delta: str = "") -> None:
        """What a request with `token` ("" for the first, tracked one) answers."""
        body: dict = {"@odata.context": f"{API}$metadata#incidents({SELECT})", "value": rows}
        if next_page:
            body["@odata.nextLink"] = link("$skiptoken", next_page)
        else:
            body["@odata.deltaLink"] = link("$deltatoken", delta)
        self.answers[token] = (200, body, {})

    def refuse(self, token: str, status: int, body: dict, **headers: str) -> None:
        self.answers[token] = (status, body, headers)

    def _cases(self, request):
        query = parse_qs(urlsplit(request.url).query)
        token = (query.get("$deltatoken") or query.get("$skiptoken") or [""])[0]
        status, body, headers = self.answers[token]
        headers = {"Content-Type": "application/json; odata.metadata=minimal", **headers}
        return status, headers, json.dumps(body)

    def _resolutions(self, request):
        wanted = re.findall(
            r"_incidentid_value eq ([0-9a-f-]{36})",
            parse_qs(urlsplit(request.url).query)["$filter"][0],
        )
        rows = [
            {"subject": self.texts[i], "description": None, "_incidentid_value": i}
            for i in wanted
            if i in self.texts
        ]
        return 200, {}, json.dumps({"value": rows})

    def requests(self) -> list:
        """Every Dataverse request made (cases and resolutions), oldest first."""
        return [c.request for c in self.dynamics.dataverse_calls()]

    def tokens(self) -> list[str]:
        """Which page each cases request asked for ("" for the first, tracked one)."""
        found = []
        for request in self.requests():
            query = parse_qs(urlsplit(request.url).query)
            if urlsplit(request.url).path.endswith("/incidents"):
                found.append((query.get("$deltatoken") or query.get("$skiptoken") or [""])[0])
        return found


@pytest.fixture
def feed(dynamics, connection) -> CaseFeed:
    connection.tenant.callback_url = CALLBACK
    connection.tenant.save()
    return CaseFeed(dynamics)


def handed_off(tenant: Tenant, session_id: str, **fields) -> HandoffSession:
    """A phone handoff that became a case."""
    values = {
        "channel": "phone",
        "payload": {"session_id": session_id},
        "status": HandoffSession.Status.DONE,
        "target": HandoffSession.Target.INCIDENT,
        "dynamics365_incident_id": uuid.uuid4(),
        "dynamics365_ticket_number": f"CAS-0{len(session_id)}-{session_id[-4:].upper()}",
        "completed_at": timezone.now(),
        **fields,
    }
    return HandoffSession.objects.create(tenant=tenant, session_id=session_id, **values)


def updates(session: HandoffSession) -> list[dict]:
    """The case.updated events recorded for OpenCX, oldest first."""
    events = OutboundEvent.objects.filter(session=session, name="case.updated")
    return [e.body for e in events.order_by("sequence")]
