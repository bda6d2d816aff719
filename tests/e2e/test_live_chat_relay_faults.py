"""With the real worker: a throttling or failing Messaging API delays the customer's messages,
never reorders, drops or repeats them."""

from __future__ import annotations

import json

import pytest

from dataverse_sandbox.messaging import channel as sandbox_channel
from dataverse_sandbox.messaging.faults import set_faults
from dataverse_sandbox.messaging.models import Conversation
from handoffs.channels import sample_handoff
from handoffs.inbound import signing
from handoffs.livechat import setup
from handoffs.models import CustomerMessage
from handoffs.outbound import http
from tests.e2e.conftest import SandboxTenant
from tests.e2e.test_live_chat_relay_browser import wait_until
from tests.handoffs.livechat.sandbox import sandbox_live_chat

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SESSION = "e2e-relay-faults"


@pytest.fixture
def chat(live_server, settings, qcluster) -> SandboxTenant:
    settings.PUBLIC_BASE_URL = live_server.url
    found = sandbox_live_chat(live_server.url, "e2e")
    setup.configure(found.tenant, **found.options())
    tenant = SandboxTenant(found.tenant, found.org, live_server.url)
    assert tenant.send(sample_handoff("sms", SESSION)) == 202
    assert tenant.wait(SESSION).status == "done"
    return tenant


def say_all(chat: SandboxTenant, texts: list[str]) -> None:
    url = f"{chat.base_url}/hooks/opencx/{chat.tenant.webhook_key}/sessions/{SESSION}/messages"
    for n, text in enumerate(texts, start=1):
        raw = json.dumps({"message_id": f"m{n}", "type": "message", "text": text}).encode()
        headers = signing.signed_headers(chat.tenant.webhook_secret, raw)
        assert http.post_json("e2e-customer", url, raw, headers)[0].status_code == 202


def rep_sees(chat: SandboxTenant) -> list[str]:
    conversation = Conversation.objects.get(org=chat.org, customer_id=SESSION)
    customer = conversation.items.filter(kind="customer").order_by("message_id")
    return list(customer.values_list("text", flat=True))


@pytest.mark.parametrize(
    "faults",
    [{"throttle_burst": 2, "retry_after": 1}, {"unavailable_share": 0.5}],
    ids=["throttled", "unavailable"],
)
def test_it_delivers_every_message_in_order_exactly_once(chat, faults):
    set_faults(sandbox_channel.faults_for(chat.org), **faults)
    texts = [f"message {n}" for n in range(1, 6)]

    say_all(chat, texts)

    def all_delivered() -> bool:
        return not CustomerMessage.objects.filter(delivered_at__isnull=True).exists()

    wait_until(all_delivered, "every message delivered", timeout=90)
    assert rep_sees(chat) == texts
    retried = CustomerMessage.objects.filter(attempts__gt=1).count()
    assert retried >= 1  # the faults really were met
