"""opencx_inbox checks each callback's signature as OpenCX does and prints the event."""

from __future__ import annotations

import io
import json
import threading

import pytest
from django.core.management import CommandError, call_command

from handoffs.inbound import signing
from handoffs.management.commands.opencx_inbox import make_server
from handoffs.outbound import http
from handoffs.tenancy import tenants

EVENT = {"event": "agent.message", "event_id": "7d1f0a52-3c4e-4f8a-9b61-2f0c8e7d5a10",
         "session_id": "sess-1", "text": "Hello from Avery"}  # fmt: skip


@pytest.fixture
def inbox(db):
    tenant = tenants.create_tenant("acme", "Acme")
    out = io.StringIO()
    server = make_server(tenant, out, "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    yield tenant, out, f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def post(url: str, secret: str, body: dict = EVENT) -> int:
    raw = json.dumps(body).encode()
    headers = signing.signed_headers(secret, raw) | {
        "X-OpenCX-Event": body["event"], "X-OpenCX-Event-Id": body["event_id"]}  # fmt: skip
    response, _ = http.post_json("inbox-test", url, raw, headers)
    return response.status_code


def test_it_prints_a_signed_event_as_opencx_receives_it(inbox):
    tenant, out, url = inbox

    assert post(url, tenant.webhook_secret) == 200

    printed = out.getvalue()
    assert (
        "── agent.message  event_id 7d1f0a52-3c4e-4f8a-9b61-2f0c8e7d5a10  signature valid"
        in printed
    )
    assert '"text": "Hello from Avery"' in printed
    assert tenant.webhook_secret not in printed


def test_it_refuses_an_event_signed_with_another_secret(inbox):
    _, out, url = inbox

    assert post(url, "not-the-secret") == 401

    assert "REFUSED (invalid_signature)" in out.getvalue()


def test_it_warns_when_the_body_and_header_ids_differ(inbox):
    tenant, out, url = inbox
    raw = json.dumps(EVENT).encode()
    headers = signing.signed_headers(tenant.webhook_secret, raw) | {
        "X-OpenCX-Event": "agent.message", "X-OpenCX-Event-Id": "other"}  # fmt: skip

    http.post_json("inbox-test", url, raw, headers)

    assert "differs from the header" in out.getvalue()


def test_it_points_the_tenants_callback_url_at_itself_when_asked(db, monkeypatch, settings):
    settings.DEBUG = True  # a development tool: loopback callbacks only while DEBUG is on
    tenant = tenants.create_tenant("acme", "Acme")
    monkeypatch.setattr("http.server.ThreadingHTTPServer.serve_forever", lambda self: None)
    out = io.StringIO()

    call_command("opencx_inbox", "--port", "0", "--set-callback-url", stdout=out)

    tenant.refresh_from_db()
    assert tenant.callback_url.startswith("http://127.0.0.1:")
    assert f"acme's callback URL is now {tenant.callback_url}" in out.getvalue()


def test_it_refuses_to_point_callbacks_at_loopback_in_production(db, monkeypatch, settings):
    settings.DEBUG = False
    tenants.create_tenant("acme", "Acme")
    monkeypatch.setattr("http.server.ThreadingHTTPServer.serve_forever", lambda self: None)

    with pytest.raises(CommandError, match="https://"):
        call_command("opencx_inbox", "--port", "0", "--set-callback-url", stdout=io.StringIO())


def test_it_asks_which_tenant_when_there_are_several(db):
    tenants.create_tenant("acme", "Acme")
    tenants.create_tenant("globex", "Globex")

    with pytest.raises(CommandError, match="--tenant .*acme, globex"):
        call_command("opencx_inbox", "--port", "0")
