"""A live chat whose conversation is open, OpenCX's side of it, and the Messaging API's."""

from __future__ import annotations

import itertools
import json
from typing import Any

import pytest

from handoffs.inbound import signing
from handoffs.models import HandoffSession, OutboundEvent
from tests.handoffs.delivery.conftest import new_session
from tests.handoffs.livechat.conftest import API, CHANNEL_ID, CONVERSATION, problem
from tests.handoffs.livechat.webhook_helpers import post_activity

ACTIVITY_URL = f"{API}conversation/{CONVERSATION}"
CALLBACK = "https://opencx.example.com/hooks/dynamics"
_message_ids = itertools.count(1732000000001)


def open_chat(tenant, session_id: str = "sess-chat", state: str = "waiting") -> HandoffSession:
    """A WhatsApp handoff whose live chat is open in Dynamics."""
    session = new_session(tenant, "whatsapp", session_id)
    HandoffSession.objects.filter(pk=session.pk).update(
        status="done", target="live_chat", dynamics365_chat_id=CONVERSATION, live_chat_state=state
    )
    return HandoffSession.objects.select_related("tenant").get(pk=session.pk)


@pytest.fixture
def chat(tenant, live_chat) -> HandoffSession:
    return open_chat(tenant)


@pytest.fixture
def with_callback(tenant):
    tenant.callback_url = CALLBACK
    tenant.save()
    return tenant


class Customer:
    """OpenCX posting a session's customer messages, signed as it signs the webhook."""

    def __init__(self, client, tenant) -> None:
        self.client, self.tenant = client, tenant

    def url(self, session_id: str = "sess-chat") -> str:
        return f"/hooks/opencx/{self.tenant.webhook_key}/sessions/{session_id}/messages"

    def post(self, body: Any, session_id: str = "sess-chat", secret: str | None = None, **kw):
        raw = body if isinstance(body, bytes) else json.dumps(body).encode()
        headers = signing.signed_headers(secret or self.tenant.webhook_secret, raw)
        return self.client.generic(
            "POST",
            self.url(session_id),
            raw,
            content_type="application/json",
            headers=headers,
            **kw,
        )

    def says(self, message_id: str, text: str = "", session_id: str = "sess-chat", **fields):
        body = {"message_id": message_id, "type": "message", "text": text, **fields}
        return self.post(body, session_id)


@pytest.fixture
def customer(client, tenant) -> Customer:
    return Customer(client, tenant)


class MessagingApi:
    """The conversation's activity endpoint: its answers in turn, and what it was sent."""

    def __init__(self, mock) -> None:
        self.mock = mock

    def takes(self, times: int = 1) -> None:
        for _ in range(times):
            self.mock.add("POST", ACTIVITY_URL, json={"messageId": str(next(_message_ids))})

    def refuses(self, status: int, code: int | None = None, **headers: str) -> None:
        members = {"errorCode": code} if code else {}
        self.mock.add(
            "POST",
            ACTIVITY_URL,
            status=status,
            body=json.dumps(problem(status, "Refused.", **members)),
            content_type="application/problem+json",
            headers={"x-ms-correlation-id": "c0ffee00-0000-4000-8000-000000000001", **headers},
        )

    def sent(self) -> list[dict]:
        return [
            json.loads(c.request.body) for c in self.mock.calls if c.request.url == ACTIVITY_URL
        ]


@pytest.fixture
def api(dynamics, live_chat) -> MessagingApi:
    return MessagingApi(dynamics.mock)


def events_for(session: HandoffSession) -> list[dict]:
    """The OpenCX events recorded for the session, in order (the status callback left out)."""
    found = OutboundEvent.objects.filter(session=session).exclude(name=OutboundEvent.STATUS)
    return [e.body for e in found.order_by("sequence")]


# Activities as Dynamics posts them to the channel's webhook.
ACCEPTED = {"type": "message", "channelId": CHANNEL_ID, "conversation": {"id": CONVERSATION},
            "text": "EventName: **_AgentAccepted_**", "name": "AgentAccepted"}  # fmt: skip


def rep_says(text: str, **extra) -> dict:
    """A rep's message as Microsoft's sample shows it (no id, no timestamp)."""
    return {
        "type": "message",
        "channelId": CHANNEL_ID,
        "from": {"id": "u1", "name": "Avery Agent"},
        "conversation": {"id": CONVERSATION},
        "textFormat": "markdown",
        "text": text,
        **extra,
    }


def event(name: str) -> dict:
    return {
        "type": "message",
        "channelId": CHANNEL_ID,
        "from": {"id": "u1"},
        "conversation": {"id": CONVERSATION},
        "text": f"EventName: **_{name}_**",
        "name": name,
    }


@pytest.fixture
def dynamics_posts(client, live_chat, directory, django_capture_on_commit_callbacks):
    """Dynamics posting activities; the relay task runs as the request commits."""

    def post(*bodies: dict) -> None:
        for body in bodies:
            with django_capture_on_commit_callbacks(execute=True):
                response = post_activity(client, live_chat, CONVERSATION, body, directory.token())
            assert response.status_code == 200

    return post
