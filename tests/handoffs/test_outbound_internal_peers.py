"""A public-only session never sends a byte to an internal address, even after DNS changes."""

from __future__ import annotations

import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.test import override_settings

from handoffs.models import HandoffSession
from handoffs.outbound import http
from tests.handoffs.delivery.conftest import new_session, send_status_callback

PUBLIC_ADDRESS = "20.190.128.10"


class Receiver(BaseHTTPRequestHandler):
    received: list[str] = []

    def do_POST(self) -> None:
        Receiver.received.append(self.path)
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def internal_port():
    Receiver.received = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_port
    server.shutdown()
    server.server_close()


def test_it_refuses_to_connect_to_an_internal_peer(internal_port):
    with pytest.raises(http.OutboundError, match="resolves to an internal address"):
        http.post_json(
            "peer-test", f"http://127.0.0.1:{internal_port}/cb", b"{}", {}, public_only=True
        )

    assert Receiver.received == []


def test_it_still_connects_without_the_guard(internal_port):
    response, _ = http.post_json("peer-test", f"http://127.0.0.1:{internal_port}/cb", b"{}", {})

    assert response.status_code == 204
    assert Receiver.received == ["/cb"]


@override_settings(DEBUG=False)
def test_it_refuses_a_callback_whose_dns_turns_internal_after_the_check(
    tenant, internal_port, monkeypatch
):
    tenant.callback_url = f"http://hooks.opencx.example:{internal_port}/cb"
    tenant.save()
    session = new_session(tenant, "phone")
    HandoffSession.objects.filter(pk=session.pk).update(status=HandoffSession.Status.DONE)
    answers = iter([PUBLIC_ADDRESS])  # the first answer is public, every later one is not

    def rebinding_dns(host, port, *args, **kwargs):
        address = next(answers, "127.0.0.1")
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port or 0))]

    monkeypatch.setattr(socket, "getaddrinfo", rebinding_dns)
    delivered = send_status_callback(session)

    assert delivered is False
    assert Receiver.received == []
    error = session.events.get(kind="callback_failed").detail["error"]
    assert "resolves to an internal address" in error
