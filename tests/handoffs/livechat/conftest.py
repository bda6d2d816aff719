"""A tenant whose chats become live chats, and the Messaging API at the HTTP boundary."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
import responses

from handoffs.dynamics.client import AppCredentials, forget_token_source
from handoffs.livechat import client as messaging_client
from handoffs.livechat.models import LiveChatChannel
from handoffs.models import DynamicsConnection
from tests.handoffs.delivery.conftest import Org
from tests.handoffs.dynamics.fakes import FakeDynamics

ORG_ID = "5a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
CHANNEL_ID = "7c8d9e0f-1a2b-4c3d-9e4f-5a6b7c8d9e0f"
BASE_URL = f"https://m-{ORG_ID}.eu.omnichannelengagementhub.com"
API = f"{BASE_URL}/api/v1.0/consumer/"
CREATE = API + "conversation/create"
SCOPE = "https://5a1b2c3d4e5f4a6b8c7d9e0f1a2b3c4d-c.crm.dynamics.com/.default"
CONVERSATION = "d1e2f3a4-b5c6-4d7e-8f9a-0b1c2d3e4f5a"
CONTACT = "0f8b3c2a-1111-4aaa-8bbb-000000000001"


def problem(status: int, detail: str, **members: Any) -> dict[str, Any]:
    """An RFC 7807 body as the Messaging API answers a refusal."""
    return {"type": "about:blank", "title": "Bad Request", "status": status, "detail": detail,
            **members}  # fmt: skip


class FakeMessaging:
    """Messaging API answers for the `live_chat` channel."""

    def __init__(self, mock: responses.RequestsMock) -> None:
        self.mock = mock

    def started(self, conversation: str = CONVERSATION, is_new: bool = True) -> None:
        body = {"conversationId": conversation, "isNew": is_new}
        if is_new:
            body["messageId"] = "1732000000000"
        self.mock.add("POST", CREATE, json=body)

    def refuse(self, status: int, body: Any = None, headers: dict | None = None) -> None:
        self.mock.add(
            "POST",
            CREATE,
            status=status,
            body=json.dumps(body) if body is not None else "",
            content_type="application/problem+json",
            headers=headers or {},
        )

    def answer(self, callback: Callable) -> None:
        self.mock.add_callback("POST", CREATE, callback=callback)

    def creates(self) -> list:
        return [c.request for c in self.mock.calls if c.request.url == CREATE]

    def sent(self, index: int = 0) -> dict:
        return json.loads(self.creates()[index].body)


@pytest.fixture
def live_chat(connection: DynamicsConnection) -> LiveChatChannel:
    """The tenant's channel, same app as its Dataverse connection; chats become live chats."""
    connection.chat_target = DynamicsConnection.ChatTarget.LIVE_CHAT
    connection.save()
    channel = LiveChatChannel.objects.create(
        tenant=connection.tenant, base_url=BASE_URL, organization_id=ORG_ID, channel_id=CHANNEL_ID
    )
    messaging_client.forget_client(channel.pk)
    yield channel
    messaging_client.forget_client(channel.pk)
    # The app's tokens (both scopes) must not leak into the next test.
    forget_token_source(AppCredentials.of(connection))


@pytest.fixture
def messaging(dynamics: FakeDynamics, live_chat) -> FakeMessaging:
    return FakeMessaging(dynamics.mock)


@pytest.fixture
def org(dynamics: FakeDynamics, connection) -> Org:
    return Org(dynamics)


@pytest.fixture
def directory(live_chat):
    """Entra ID's discovery document and keys for the app (webhook tokens), keys not cached."""
    from handoffs.livechat import webhook_auth
    from tests.handoffs.livechat.webhook_helpers import Directory

    webhook_auth.forget_keys()
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield Directory(mock)
    webhook_auth.forget_keys()
