"""A tenant connected to a sandbox org (over the live server) whose channel posts to it."""

from __future__ import annotations

from dataclasses import dataclass

from dataverse_sandbox import provisioning
from dataverse_sandbox.messaging import channel as sandbox_channel
from dataverse_sandbox.models import Org
from handoffs.livechat import setup
from handoffs.livechat.channel_input import zone_in_scope
from handoffs.models import Tenant
from handoffs.tenancy import tenants


@dataclass
class SandboxLiveChat:
    tenant: Tenant
    org: Org
    base_url: str

    def options(self) -> dict[str, str]:
        """What an admin types: the channel's values as the org's live_chat block gives them."""
        found = sandbox_channel.live_chat_fields(self.org, self.base_url)
        return {
            "base_url": found["base_url"],
            "organization_id": found["org_id"],
            "channel_id": found["channel_id"],
            "zone": zone_in_scope(found["scope"]),
        }

    def command_args(self) -> list[str]:
        values = self.options()
        return [
            self.tenant.slug,
            "--base-url", values["base_url"],
            "--org-id", values["organization_id"],
            "--channel-id", values["channel_id"],
            "--zone", values["zone"],
        ]  # fmt: skip


def sandbox_live_chat(base_url: str, slug: str = "acme", **switches: object) -> SandboxLiveChat:
    """Tenant `slug` on org `<slug>-org`, its channel's webhook URL being the tenant's own."""
    org = provisioning.create_org(f"{slug}-org")
    tenant = tenants.create_tenant(slug, slug.title())
    tenants.connect(tenant, **provisioning.connection_fields(org, base_url))
    webhook_url = setup.channel_for(tenant).webhook_url
    sandbox_channel.configure(org, webhook_url=webhook_url, base_url=base_url, **switches)
    return SandboxLiveChat(tenant, org, base_url)
