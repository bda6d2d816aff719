"""Checklist lines for live chat: the messaging token, the channel, its workstream, its record.

Run for tenants whose chats become live chats (handoffs.livechat). Whether the channel is in a
workstream cannot be asked of the Messaging API without starting a conversation, so it is read
from the channel record in Dataverse (msdyn_occustommessagingchannel.msdyn_liveworkstreamid),
which has no side effect; that this lookup holds the link is inferred, so an empty one warns.
"""

from __future__ import annotations

from typing import Any

from handoffs.errors import HandoffError
from handoffs.livechat import conversations, facts
from handoffs.livechat.client import MessagingClient, app_credentials, candidate_client
from handoffs.livechat.models import LiveChatChannel
from handoffs.models import DynamicsConnection
from handoffs.verification.checklist import FAIL, PASS, WARN, Check, failed, skipped

TOKEN = ("live_chat_token", "Token for the Messaging API (live chat)")
CHANNEL = ("live_chat_channel", "The messaging channel answers (organization ID, channel ID)")
WORKSTREAM = ("live_chat_workstream", "The messaging channel is in a workstream")
RECORD = ("live_chat_record", "The channel record names this app and this service's webhook")
UNREADABLE = ("dataverse_missing_privilege", "dataverse_forbidden", "omnichannel_not_installed")


def check_token(messaging: MessagingClient) -> Check:
    key, title = TOKEN
    try:
        messaging.token()
    except HandoffError as exc:
        return failed(key, title, exc)
    return Check(key, PASS, title, f"Entra ID issued a token for {messaging.scope}.")


def check_channel(messaging: MessagingClient) -> Check:
    key, title = CHANNEL
    try:
        listed = conversations.active(messaging, page_size=1)
    except HandoffError as exc:
        return failed(key, title, exc)
    more = "at least one active conversation" if listed else "no active conversation"
    detail = (
        f"The Messaging API accepted channel {messaging.channel_id} of organization "
        f"{messaging.organization_id} ({more})."
    )
    return Check(key, PASS, title, detail)


def read_record(dataverse: Any, channel: LiveChatChannel) -> tuple[dict | None, Check | None]:
    """(the channel record, None), or (None, the line saying why it cannot be read)."""
    key, title = WORKSTREAM
    path = f"{facts.CHANNEL_ENTITY_SET}({channel.channel_id})"
    try:
        return dataverse.get(path, params={"$select": facts.CHANNEL_COLUMNS}), None
    except HandoffError as exc:
        if exc.code == "dataverse_not_found":
            return None, Check(
                key,
                FAIL,
                title,
                f"The Dataverse environment has no channel record {channel.channel_id}.",
                "Copy the id of the msdyn_occustommessagingchannel record from the same "
                "environment as the Dynamics connection (docs/live-chat.md, step 3).",
                "checklist-live-chat-workstream",
            )
        if exc.code in UNREADABLE:
            return None, Check(
                key,
                WARN,
                title,
                "Cannot tell: the application user may not read the channel record "
                f"({exc.code}). Conversations on a channel outside any workstream are "
                "refused with 30014.",
                "Check in Copilot Service admin center → Workstreams that the channel is in a "
                "messaging workstream, or give the application user Read on "
                "msdyn_occustommessagingchannel so this line can tell.",
                "checklist-live-chat-workstream",
            )
        return None, failed(key, title, exc)


def check_workstream(record: dict) -> Check:
    key, title = WORKSTREAM
    workstream = record.get("_msdyn_liveworkstreamid_value")
    if workstream:
        return Check(key, PASS, title, f"The channel record is in workstream {workstream}.")
    return Check(
        key,
        WARN,
        title,
        "The channel record names no workstream (msdyn_liveworkstreamid is empty); the "
        "Messaging API refuses conversations on such a channel (30014).",
        "In Copilot Service admin center → Workstreams, add the channel to a messaging "
        "workstream with routing rules, then verify again.",
        "checklist-live-chat-workstream",
    )


def check_record(record: dict, channel: LiveChatChannel, client_id: str) -> Check:
    key, title = RECORD
    anchor = "checklist-live-chat-record"
    if record.get("statecode") not in (0, None):
        return Check(
            key, FAIL, title, "The channel record is inactive.", "Activate it in Dynamics.", anchor
        )
    app = str(record.get("msdyn_appid") or "").strip().lower()
    if app != client_id.lower():
        return Check(
            key,
            FAIL,
            title,
            f"msdyn_appid is {app or 'empty'}, but this service signs in as {client_id}: the "
            "Messaging API refuses the service's tokens for this channel.",
            f"Set the channel record's msdyn_appid to {client_id} (or choose the app the "
            "record names under Settings → Live chat).",
            anchor,
        )
    webhook = str(record.get("msdyn_webhookurl") or "").rstrip("/")
    if webhook != channel.webhook_url:
        return Check(
            key,
            WARN,
            title,
            f"msdyn_webhookurl is {webhook or 'empty'}: reps' replies and events go there, "
            "not to this service.",
            f"Set the channel record's msdyn_webhookurl to {channel.webhook_url} and renew "
            "the federated credential (docs/live-chat.md, step 5).",
            anchor,
        )
    return Check(key, PASS, title, f"msdyn_appid is {client_id}; msdyn_webhookurl is ours.")


def live_chat_checks(
    channel: LiveChatChannel,
    connection: DynamicsConnection,
    messaging: MessagingClient,
    dataverse: Any | None,
) -> list[Check]:
    """The live-chat lines; `dataverse` is None when the Dataverse connection failed."""
    lines = [check_token(messaging)]
    if lines[0].status == PASS:
        lines.append(check_channel(messaging))
    else:
        lines.append(skipped(*CHANNEL, "a messaging token is needed first"))
    if dataverse is None:
        reason = "the Dataverse connection must work first"
        return [*lines, skipped(*WORKSTREAM, reason), skipped(*RECORD, reason)]
    record, problem = read_record(dataverse, channel)
    if record is None:
        return [*lines, problem, skipped(*RECORD, "the channel record cannot be read")]
    client_id = app_credentials(channel, connection).client_id
    return [*lines, check_workstream(record), check_record(record, channel, client_id)]


def not_configured() -> Check:
    key, title = TOKEN
    return Check(
        key,
        FAIL,
        title,
        "Chats are set to become live chats, but the messaging channel is not configured.",
        "Open Settings → Live chat and fill in the channel's values, or set 'Chats become' to "
        "another target under Defaults and routing.",
        "checklist-live-chat-token",
    )


def checks_for_connection(connection: DynamicsConnection, dataverse: Any | None) -> list[Check]:
    """The live-chat lines of a connection's checklist: none unless chats become live chats."""
    if connection.chat_target != DynamicsConnection.ChatTarget.LIVE_CHAT:
        return []
    channel = LiveChatChannel.objects.filter(tenant_id=connection.tenant_id).first()
    if channel is None or not channel.is_complete:
        return [not_configured()]
    # The connection may be a candidate (credentials not saved yet): a throwaway client.
    return live_chat_checks(channel, connection, candidate_client(channel, connection), dataverse)
