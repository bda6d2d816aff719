"""In production a callback is never sent to an internal address, however its URL got stored."""

from __future__ import annotations

import socket

import pytest
import responses
from django.test import override_settings

from handoffs.models import HandoffSession
from tests.handoffs.delivery.conftest import new_session, send_status_callback


def finished_session(tenant, callback_url: str) -> HandoffSession:
    tenant.callback_url = callback_url
    tenant.save()
    session = new_session(tenant, "phone")
    HandoffSession.objects.filter(pk=session.pk).update(status=HandoffSession.Status.DONE)
    return session


@override_settings(DEBUG=False)
@pytest.mark.parametrize(
    "url", ["https://2130706433/cb", "https://169.254.169.254/latest/meta-data", "http://[::1]/"]
)
def test_it_refuses_a_stored_internal_address_without_calling_it(tenant, url):
    session = finished_session(tenant, url)

    with responses.RequestsMock() as mock:  # any request at all would fail the test
        delivered = send_status_callback(session)

    assert delivered is False
    assert len(mock.calls) == 0
    event = session.events.get(kind="callback_failed")
    assert "leads to an internal address" in event.detail["error"]


@override_settings(DEBUG=False)
def test_it_refuses_a_public_name_that_resolves_inside(tenant, monkeypatch):
    session = finished_session(tenant, "https://hooks.opencx.example/cb")
    answers = {"hooks.opencx.example": "10.1.2.3"}

    def fake_dns(host, port, *args, **kwargs):
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (answers[host], 0))]

    monkeypatch.setattr(socket, "getaddrinfo", fake_dns)
    with responses.RequestsMock() as mock:
        send_status_callback(session)

    assert len(mock.calls) == 0
    assert "internal address" in session.events.get(kind="callback_failed").detail["error"]


@override_settings(DEBUG=False)
def test_it_sends_to_a_name_that_resolves_to_a_public_address(tenant, monkeypatch):
    session = finished_session(tenant, "https://hooks.opencx.example/cb")

    def fake_dns(host, port, *args, **kwargs):
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("20.190.128.10", 0))]

    monkeypatch.setattr(socket, "getaddrinfo", fake_dns)
    with responses.RequestsMock() as mock:
        mock.post("https://hooks.opencx.example/cb", status=204)
        delivered = send_status_callback(session)

    assert delivered is True
