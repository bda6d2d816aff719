"""A Messaging API caller (Django test client) and a webhook receiver (a real HTTP server)."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from django.test import Client

from dataverse_sandbox import provisioning
from dataverse_sandbox.messaging import channel
from dataverse_sandbox.models import Org


class Messaging:
    """Calls one org's Messaging API as the product would, with a messaging-scope token."""

    def __init__(self, client: Client, org: Org) -> None:
        self.client = client
        self.org = org
        self.fields = channel.live_chat_fields(org, "http://testserver")
        self.base = f"/sandbox/{org.slug}/messaging/api/v1.0/consumer/"
        self._token: str | None = None

    def token_response(self, scope: str | None = None):
        app = provisioning.integration_app(self.org)
        form = {
            "grant_type": "client_credentials",
            "client_id": str(app.client_id),
            "client_secret": app.client_secret,
            "scope": scope or self.fields["scope"],
        }
        url = f"/sandbox/{self.org.slug}/login/{self.org.azure_tenant_id}/oauth2/v2.0/token"
        return self.client.post(url, form)

    @property
    def token(self) -> str:
        if self._token is None:
            self._token = self.token_response().json()["access_token"]
        return self._token

    def headers(self, **overrides: str) -> dict:
        sent = {
            "Authorization": f"Bearer {self.token}",
            "channel-id": self.fields["channel_id"],
            "organization-id": self.fields["org_id"],
            **overrides,
        }
        return {k: v for k, v in sent.items() if v is not None}

    def call(self, method: str, path: str, body: object = None, *, headers: dict | None = None):
        raw = body if isinstance(body, bytes) else b"" if body is None else json.dumps(body)
        return self.client.generic(
            method,
            self.base + path,
            raw,
            content_type="application/json",
            headers=headers if headers is not None else self.headers(),
        )

    def get(self, path: str, **kwargs):
        return self.call("GET", path, **kwargs)

    def post(self, path: str, body: object, **kwargs):
        return self.call("POST", path, body, **kwargs)

    def create(self, customer_id: str = "sess-1", **extra: object) -> dict:
        body = {"customercontext": {"customerid": customer_id, "preferredname": "Ada L"}, **extra}
        response = self.post("conversation/create", body)
        assert response.status_code == 200, response.content
        return response.json()

    def say(self, conversation_id: str, text: str, **extra: object):
        body = {
            "type": "message",
            "channelId": self.fields["channel_id"],
            "from": {"id": "customer-1", "name": "Ada L"},
            "conversation": {"id": conversation_id},
            "text": text,
            **extra,
        }
        return self.post(f"conversation/{conversation_id}", body)


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: dict


@dataclass
class Receiver:
    """Records every POST; answers the statuses in `answers` in turn, then 200."""

    answers: list[int] = field(default_factory=list)
    received: list[Received] = field(default_factory=list)
    url: str = ""

    def start(self) -> Receiver:
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                owner.received.append(
                    Received(self.path, dict(self.headers.items()), json.loads(raw or b"{}"))
                )
                status = owner.answers.pop(0) if owner.answers else 200
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/hooks/dynamics/key-1"
        threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True).start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def bodies(self) -> list[dict]:
        return [r.body for r in self.received]
