"""Sessions ready to deliver, against the `responses` fakes of Entra ID and Dataverse."""

from __future__ import annotations

import json
from typing import Any

import pytest

from handoffs.channels import sample_handoff
from handoffs.inbound.intake import accept
from handoffs.inbound.status import status_document
from handoffs.lifecycle import outbox
from handoffs.models import HandoffSession, OutboundEvent, Tenant
from tests.handoffs.dynamics.fakes import API, FakeDynamics

TICKET = "CAS-01001-K7Q2ZP"


def new_session(tenant: Tenant, channel: str, session_id: str = "", **changes: Any):
    """Accept a sample body for `channel` (nothing runs until the test says so)."""
    body = sample_handoff(channel, session_id or f"sess-{channel}")
    body.update(changes)
    session, _ = accept(tenant, body)
    return HandoffSession.objects.get(pk=session.pk)


def send_status_callback(session: HandoffSession) -> bool:
    """Record the session's status callback and send it now; True when it was delivered."""
    session = HandoffSession.objects.select_related("tenant").get(pk=session.pk)
    outbox.record(session, OutboundEvent.STATUS, status_document(session))
    return outbox.send_pending(session.pk) == 1


def echo_created(key: str, extra: dict | None = None, status: int = 201):
    """A callback answering a create with the id the client sent (as Dataverse does)."""

    def answer(request):
        sent = json.loads(request.body)
        return status, {}, json.dumps({key: sent[key], **(extra or {})})

    return answer


class Org:
    """Dataverse answers for a handoff: contact lookup, creates, queue."""

    def __init__(self, dynamics: FakeDynamics) -> None:
        self.dynamics = dynamics
        self.mock = dynamics.mock

    def contact_found(self, contact_id: str) -> None:
        self.dynamics.add("GET", "contacts", body={"value": [{"contactid": contact_id}]})

    def no_contact(self) -> None:
        self.dynamics.add("GET", "contacts", body={"value": []})

    def contact_created(self, status: int = 204, body: Any = None) -> None:
        self.dynamics.add("POST", "contacts", status=status, body=body)

    def case_created(self) -> None:
        answer = echo_created("incidentid", {"ticketnumber": TICKET})
        self.mock.add_callback("POST", API + "incidents", callback=answer)

    def conversation_created(self) -> None:
        self.mock.add_callback(
            "POST", API + "msdyn_ocliveworkitems", callback=echo_created("activityid")
        )

    def queued(self, queue_id: str) -> None:
        self.dynamics.add(
            "POST",
            f"queues({queue_id})/Microsoft.Dynamics.CRM.AddToQueue",
            body={"QueueItemId": "9c1d0e6a-0000-4000-8000-000000000001"},
        )

    def requests(self) -> list:
        return [c.request for c in self.dynamics.dataverse_calls()]

    def sent(self, index: int) -> dict:
        return json.loads(self.requests()[index].body)


@pytest.fixture
def org(dynamics: FakeDynamics, connection) -> Org:
    return Org(dynamics)
