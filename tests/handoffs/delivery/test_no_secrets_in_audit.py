"""Neither the client secret nor the access token ever reaches events, errors or logs."""

from __future__ import annotations

import json
import logging

from handoffs.models import HandoffEvent, HandoffSession
from handoffs.tasks import process_handoff
from tests.handoffs.delivery.conftest import new_session
from tests.handoffs.dynamics.fakes import ACCESS_TOKEN, CLIENT_SECRET, dataverse_error, entra_error

CONTACT = "0f8b3c2a-1111-4aaa-8bbb-000000000001"


def stored_text() -> str:
    events = [json.dumps(e.detail) for e in HandoffEvent.objects.all()]
    sessions = [f"{s.last_error_code} {s.last_error_message}" for s in HandoffSession.objects.all()]
    return "\n".join(events + sessions)


def test_it_keeps_secrets_out_of_a_successful_handoff(tenant, org, caplog):
    caplog.set_level(logging.DEBUG)
    org.contact_found(CONTACT)
    org.case_created()

    process_handoff(new_session(tenant, "phone").pk)

    for text in (stored_text(), caplog.text):
        assert CLIENT_SECRET not in text
        assert ACCESS_TOKEN not in text


def test_it_keeps_secrets_out_of_failures(tenant, org, dynamics, caplog):
    caplog.set_level(logging.DEBUG)
    dynamics.refuse_token(entra_error("invalid_client", 7000215, "Invalid client secret."), 401)
    process_handoff(new_session(tenant, "phone", "s-1").pk)
    dynamics.refuse_token(
        {"token_type": "Bearer", "expires_in": 3599, "access_token": ACCESS_TOKEN}, 200
    )
    dynamics.add("GET", "contacts", 401, dataverse_error("", "Invalid token"))
    process_handoff(new_session(tenant, "phone", "s-2").pk)

    assert HandoffSession.objects.filter(status="failed").count() == 2
    for text in (stored_text(), caplog.text):
        assert CLIENT_SECRET not in text
        assert ACCESS_TOKEN not in text
