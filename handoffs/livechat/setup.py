"""Configuring a tenant's live chat: what the settings page and connect_live_chat call.

The page never reaches Dataverse or the Messaging API itself; it asks this service, which
verifies submitted values before they are saved, exactly as the Dynamics connection is saved.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from handoffs.dynamics.client import client_for as dataverse_client
from handoffs.dynamics.whoami import whoami
from handoffs.errors import HandoffError
from handoffs.livechat import client as messaging
from handoffs.livechat.models import LiveChatChannel
from handoffs.models import DynamicsConnection, Tenant
from handoffs.verification.checklist import Checklist
from handoffs.verification.live_chat import live_chat_checks

CHANNEL_FIELDS = (
    "base_url",
    "organization_id",
    "channel_id",
    "zone",
    "own_app",
    "azure_tenant_id",
    "client_id",
    "client_secret",
    "authority_host",
    "app_id_uri",
)


class NotConnected(Exception):
    """Live chat needs a working Dynamics connection first (contacts are found there)."""


def channel_for(tenant: Tenant) -> LiveChatChannel:
    """The tenant's channel row, made on first use so its webhook URL never changes."""
    channel, _ = LiveChatChannel.objects.get_or_create(tenant=tenant)
    return channel


def channel_of(tenant: Tenant) -> LiveChatChannel | None:
    """The tenant's channel row, if an admin ever opened the live-chat page."""
    return LiveChatChannel.objects.filter(tenant=tenant).first()


def is_configured(tenant: Tenant) -> bool:
    """The tenant's channel has every value a conversation needs."""
    channel = channel_of(tenant)
    return channel is not None and channel.is_complete


def connection_of(tenant: Tenant) -> DynamicsConnection:
    connection = DynamicsConnection.objects.filter(tenant=tenant).first()
    if connection is None or not connection.is_complete:
        raise NotConnected(
            "Connect Dynamics 365 first (Settings → Dynamics connection): live chats find or "
            "create the customer's contact there, and can sign in with the same app."
        )
    return connection


def suggested_organization_id(tenant: Tenant) -> str:
    """The organization id WhoAmI reports for the tenant's Dataverse connection, else ''.

    Read from the connection's last verification; asked of WhoAmI only when that is older.
    """
    connection = DynamicsConnection.objects.filter(tenant=tenant).first()
    if connection is None or not connection.is_complete:
        return ""
    stored = (connection.last_verification or {}).get("organization_id")
    if stored:
        return str(stored)
    try:
        return whoami(dataverse_client(connection)).organization_id
    except HandoffError:
        return ""


def token_scope(channel: LiveChatChannel, tenant: Tenant) -> str:
    """The scope the Messaging API's tokens are asked for, '' while it cannot be built."""
    connection = DynamicsConnection.objects.filter(tenant=tenant).first()
    return messaging.scope_of(channel, connection) if connection is not None else ""


def _candidate(channel: LiveChatChannel, fields: dict[str, Any]) -> LiveChatChannel:
    """An unsaved copy of the row with the submitted values on top (same pk and key)."""
    values = {f.name: getattr(channel, f.name) for f in LiveChatChannel._meta.concrete_fields}
    values.update({k: v for k, v in fields.items() if k in CHANNEL_FIELDS})
    if not values["own_app"]:
        values.update(azure_tenant_id="", client_id="", client_secret="")
    return LiveChatChannel(**values)


def run_checks(
    channel: LiveChatChannel, connection: DynamicsConnection, *, saved: bool
) -> Checklist:
    """The live-chat lines for a channel (saved: the cached clients; else throwaway ones)."""
    client = messaging.client_for if saved else messaging.candidate_client
    dataverse = dataverse_client(connection)
    try:
        whoami(dataverse)
    except HandoffError:
        dataverse = None
    lines = live_chat_checks(channel, connection, client(channel, connection), dataverse)
    return Checklist(lines)


@transaction.atomic
def _save(channel: LiveChatChannel, candidate: LiveChatChannel, checklist: Checklist) -> None:
    secret_changed = candidate.client_secret != channel.client_secret
    for name in CHANNEL_FIELDS:
        setattr(channel, name, getattr(candidate, name))
    if secret_changed and channel.client_secret:
        channel.client_secret_set_at = timezone.now()
    _store(channel, checklist)
    make_live_chat_the_target(channel.tenant)


def _store(channel: LiveChatChannel, checklist: Checklist) -> None:
    channel.last_verification = checklist.as_dict()
    if checklist.ok:
        channel.verified_at = checklist.checked_at
    channel.save()


def make_live_chat_the_target(tenant: Tenant) -> None:
    """Chats become live chats (the default once the channel is configured)."""
    DynamicsConnection.objects.filter(tenant=tenant).update(
        chat_target=DynamicsConnection.ChatTarget.LIVE_CHAT, updated_at=timezone.now()
    )


def verify_and_save(tenant: Tenant, fields: dict[str, Any]) -> tuple[Checklist, bool]:
    """Verify submitted values; save them (and make chats live) only if no line fails."""
    connection = connection_of(tenant)
    channel = channel_for(tenant)
    candidate = _candidate(channel, fields)
    checklist = run_checks(candidate, connection, saved=False)
    if not checklist.ok:
        return checklist, False
    _save(channel, candidate, checklist)
    messaging.forget_client(channel.pk)
    return checklist, True


def verify_saved(tenant: Tenant) -> Checklist:
    """Verify the stored channel and keep the result on it."""
    channel = channel_for(tenant)
    checklist = run_checks(channel, connection_of(tenant), saved=True)
    _store(channel, checklist)
    return checklist


def configure(tenant: Tenant, **fields: Any) -> LiveChatChannel:
    """Store channel values without verifying them (values from a trusted source: the sandbox)."""
    channel = channel_for(tenant)
    candidate = _candidate(channel, fields)
    for name in CHANNEL_FIELDS:
        setattr(channel, name, getattr(candidate, name))
    channel.save()
    make_live_chat_the_target(tenant)
    messaging.forget_client(channel.pk)
    return channel
