"""Connecting a tenant to the built-in sandbox (development only), live chat included.

The sandbox is a separate app reached through its own command and over HTTP, never imported.
"""

from __future__ import annotations

import io
import json

from django.core.management import call_command

from handoffs.livechat import setup
from handoffs.livechat.channel_input import zone_in_scope
from handoffs.models import Tenant
from handoffs.tenancy import tenants


def connect_to_sandbox(tenant: Tenant) -> None:
    """A sandbox org named after the tenant, its Dataverse and its messaging channel connected.

    The org's channel posts to this tenant's webhook URL, so chats become live chats there.
    """
    channel = setup.channel_for(tenant)
    out = io.StringIO()
    webhook = ["--live-chat-webhook-url", channel.webhook_url]
    call_command("sandbox_create_org", tenant.slug, *webhook, stdout=out)
    fields = json.loads(out.getvalue())
    live_chat = fields.pop("live_chat")
    tenants.connect(tenant, **fields)
    setup.configure(
        tenant,
        base_url=live_chat["base_url"],
        organization_id=live_chat["org_id"],
        channel_id=live_chat["channel_id"],
        # The sandbox's environment URL (loopback) names no zone: its scope does.
        zone=zone_in_scope(live_chat["scope"]),
    )
