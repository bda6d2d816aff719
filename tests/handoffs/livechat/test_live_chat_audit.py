"""Every Messaging API exchange leaves an event; no token or secret ever does."""

from __future__ import annotations

import json
import logging

from handoffs.models import HandoffEvent
from handoffs.tasks import process_handoff
from tests.handoffs.delivery.conftest import new_session
from tests.handoffs.dynamics.fakes import ACCESS_TOKEN, CLIENT_SECRET
from tests.handoffs.livechat.conftest import CONTACT, problem


def test_it_records_each_messaging_exchange(tenant, org, messaging):
    org.contact_found(CONTACT)
    messaging.refuse(401, None)
    messaging.started()
    session = new_session(tenant, "whatsapp")

    process_handoff(session.pk)

    calls = [
        (e.detail["method"], e.detail["path"], e.detail["status"], e.detail["error_code"])
        for e in session.events.filter(kind=HandoffEvent.Kind.MESSAGING_CALL)
    ]
    create = "/api/v1.0/consumer/conversation/create"
    assert [c for c in calls if c[1] == create] == [
        ("POST", create, 401, "messaging_unauthorized"),
        ("POST", create, 200, None),
    ]
    # The two token requests for the messaging scope are audited with the calls they serve.
    assert [c[2] for c in calls if c[1].endswith("/oauth2/v2.0/token")] == [200, 200]


def test_it_keeps_tokens_and_secrets_out_of_events_errors_and_logs(tenant, org, messaging, caplog):
    caplog.set_level(logging.DEBUG)
    org.contact_found(CONTACT)
    messaging.refuse(400, problem(400, "Not linked.", errorCode=30014))
    session = new_session(tenant, "sms")

    process_handoff(session.pk)

    session.refresh_from_db()
    stored = json.dumps([e.detail for e in session.events.all()]) + session.last_error_message
    for text in (stored, caplog.text):
        assert ACCESS_TOKEN not in text
        assert CLIENT_SECRET not in text
