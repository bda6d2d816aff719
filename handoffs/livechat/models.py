"""A tenant's Contact Center messaging channel: where live chats go and who may call back."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models

from handoffs.tenancy.fields import EncryptedTextField

DEFAULT_AUTHORITY = "https://login.microsoftonline.com"


def new_channel_key() -> str:
    return secrets.token_urlsafe(24)


class LiveChatChannel(models.Model):
    """The channel record's values (Messaging API) and the app that calls it.

    The row exists from the first time an admin opens the page, so the webhook URL to paste
    into the channel record (its `channel_key`) stays the same while the values are filled in.
    """

    tenant = models.OneToOneField(
        "handoffs.Tenant", on_delete=models.CASCADE, related_name="live_chat"
    )
    channel_key = models.CharField(max_length=64, unique=True, default=new_channel_key)
    base_url = models.CharField("Messaging base URL", max_length=300, blank=True, default="")
    organization_id = models.UUIDField("Organization ID", null=True, blank=True)
    channel_id = models.UUIDField("Channel record ID", null=True, blank=True)
    # Empty: derived from the Dataverse environment URL's host (see handoffs.livechat.scope).
    zone = models.CharField("Zone (advanced)", max_length=32, blank=True, default="")

    # The Entra app: the Dataverse connection's own (default) or one for the channel alone.
    own_app = models.BooleanField(default=False)
    azure_tenant_id = models.CharField("Directory (tenant) ID", max_length=64, blank=True)
    client_id = models.CharField("Application (client) ID", max_length=64, blank=True)
    client_secret = EncryptedTextField(blank=True, default="")
    client_secret_set_at = models.DateTimeField(null=True, blank=True)
    authority_host = models.CharField(max_length=300, blank=True, default=DEFAULT_AUTHORITY)
    # The webhook token's audience may be this URI (Expose an API) as well as the client id.
    app_id_uri = models.CharField("Application ID URI", max_length=300, blank=True, default="")

    verified_at = models.DateTimeField(null=True, blank=True)
    last_verification = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        app_label = "handoffs"

    def __str__(self) -> str:
        return f"{self.tenant} live chat"

    @property
    def is_complete(self) -> bool:
        """Every value a conversation needs is set (the app's too, when it has its own)."""
        channel = bool(self.base_url and self.organization_id and self.channel_id)
        if not self.own_app:
            return channel
        return channel and bool(self.azure_tenant_id and self.client_id and self.client_secret)

    @property
    def webhook_url(self) -> str:
        """What the admin pastes into the channel record's msdyn_webhookurl."""
        return f"{settings.PUBLIC_BASE_URL}/hooks/dynamics/{self.channel_key}"
