"""Credentials written into a callback URL never reach the audit log or the worker's log."""

from __future__ import annotations

import json
import logging
import re

import responses

from handoffs.models import HandoffSession
from tests.handoffs.delivery.conftest import new_session, send_status_callback

CALLBACK = "https://opencx:pa55-receiver@hooks.opencx.example:8443/cb?token=receiver-token"


def test_it_audits_only_the_host_and_path_of_the_callback(tenant, caplog):
    caplog.set_level(logging.DEBUG)
    tenant.callback_url = CALLBACK  # only an operator can store this (the admin takes userinfo)
    tenant.save()
    session = new_session(tenant, "phone")
    HandoffSession.objects.filter(pk=session.pk).update(status=HandoffSession.Status.DONE)

    with responses.RequestsMock() as mock:
        mock.post(re.compile(r"https://.*hooks\.opencx\.example:8443/cb.*"), status=500)
        send_status_callback(session)

    detail = session.events.get(kind="callback_failed").detail
    assert detail["url"] == "https://hooks.opencx.example:8443/cb"
    for text in (json.dumps(detail), caplog.text):
        assert "pa55-receiver" not in text
        assert "receiver-token" not in text
