"""The rep's side: accept, reply, type, end, close, or any documented event.

Each action changes the conversation and queues the activity Microsoft would post to the
channel's webhook; the activity is sent once the action commits (see webhook.py).
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from dataverse_sandbox.messaging import activities, records, thread, webhook
from dataverse_sandbox.messaging.activities import Target
from dataverse_sandbox.messaging.channel import CHANNEL_TABLE, settings_for
from dataverse_sandbox.messaging.facts import (
    EVENT_NAMES,
    LIFECYCLE_EVENTS,
    SAMPLE_EVENT_NAMES,
    TEXT_MAX,
)
from dataverse_sandbox.messaging.models import Conversation, Message
from dataverse_sandbox.models import Org, Record

STATE_LABELS = {
    Conversation.OPEN: "waiting",
    Conversation.ACTIVE: "active",
    Conversation.WRAPUP: "wrap-up",
    Conversation.CLOSED: "closed",
}


class RepActionError(Exception):
    """The rep cannot do that now; the message says why and what to do instead."""


def rep_user(org: Org) -> Record | None:
    """The org's first person (not application) user: the rep of the workspace."""
    users = Record.objects.filter(org=org, entity="systemuser").order_by("created_at", "id")
    return next((u for u in users if not u.data.get("applicationid")), None)


def _locked(conversation: Conversation, *states: str) -> Conversation:
    """The caller's conversation, re-read under a row lock, if it is in one of `states`."""
    Conversation.objects.select_for_update().filter(pk=conversation.pk).first()
    conversation.refresh_from_db()
    if conversation.state not in states:
        wanted = " or ".join(STATE_LABELS[s] for s in states)
        raise RepActionError(
            f"The conversation is {STATE_LABELS[conversation.state]}; this needs it {wanted}."
        )
    return conversation


def _queue(conversation: Conversation, label: str, body: dict) -> None:
    channel = Record.objects.filter(
        org=conversation.org_id, entity=CHANNEL_TABLE, record_id=conversation.channel_id
    ).first()
    url = str((channel.data if channel else {}).get("msdyn_webhookurl") or "")
    styled = activities.styled(body, settings_for(conversation.org), url)
    webhook.enqueue(conversation, label, styled, url)


def _target(conversation: Conversation) -> Target:
    return Target(
        channel_id=str(conversation.channel_id),
        conversation_id=str(conversation.id),
        customer_id=conversation.customer_id,
        rep_id=str(conversation.agent_id or ""),
        rep_name=conversation.agent_name,
    )


def _signal_id(conversation: Conversation, name: str) -> int:
    signal = thread.add(
        conversation, Message.SIGNAL, name=name, from_id=str(conversation.agent_id or "")
    )
    return signal.message_id


def _event(conversation: Conversation, name: str) -> None:
    event_type = settings_for(conversation.org).event_type
    activity_id = _signal_id(conversation, name)
    body = activities.event(_target(conversation), activity_id, name, event_type)
    _queue(conversation, name, body)


def _lifecycle(conversation: Conversation, step: str) -> str:
    return LIFECYCLE_EVENTS[settings_for(conversation.org).event_names][step]


def accept(conversation: Conversation) -> None:
    """Open → Active: the rep takes the chat (AgentAccepted)."""
    with transaction.atomic():
        conversation = _locked(conversation, Conversation.OPEN)
        user = rep_user(conversation.org)
        conversation.state, conversation.accepted_at = Conversation.ACTIVE, timezone.now()
        if user is not None:
            conversation.agent_id = user.record_id
            conversation.agent_name = user.data.get("fullname", "")
        conversation.save()
        records.sync_row(conversation)
        _event(conversation, _lifecycle(conversation, "accepted"))


def say(conversation: Conversation, text: str, attachments: list[dict] | None = None) -> Message:
    """The rep writes to the customer."""
    text = text.strip()
    if not text and not attachments:
        raise RepActionError("Write something first: the reply is empty.")
    if len(text) > TEXT_MAX:
        raise RepActionError(f"The reply has {len(text)} characters; at most {TEXT_MAX}.")
    with transaction.atomic():
        conversation = _locked(conversation, Conversation.ACTIVE)
        message = thread.add(
            conversation,
            Message.REP,
            from_id=str(conversation.agent_id or ""),
            from_name=conversation.agent_name,
            text=text,
            attachments=attachments or [],
        )
        _queue(conversation, "message", activities.rep_message(_target(conversation), message))
    return message


def typing(conversation: Conversation) -> None:
    """The rep is typing."""
    with transaction.atomic():
        conversation = _locked(conversation, Conversation.ACTIVE)
        activity_id = _signal_id(conversation, "typing")
        _queue(conversation, "typing", activities.typing(_target(conversation), activity_id))


def end(conversation: Conversation) -> None:
    """Active → Wrap-up: the rep ends the conversation."""
    with transaction.atomic():
        conversation = _locked(conversation, Conversation.ACTIVE)
        conversation.state, conversation.ended_at = Conversation.WRAPUP, timezone.now()
        conversation.ended_by = "rep"
        conversation.save()
        records.sync_row(conversation)
        _event(conversation, _lifecycle(conversation, "ended"))


def close(conversation: Conversation) -> None:
    """Wrap-up (or Active, ending it first) → Closed."""
    if Conversation.objects.filter(pk=conversation.pk, state=Conversation.ACTIVE).exists():
        end(conversation)
    with transaction.atomic():
        conversation = _locked(conversation, Conversation.WRAPUP)
        conversation.state, conversation.closed_at = Conversation.CLOSED, timezone.now()
        conversation.save()
        records.sync_row(conversation)
        _event(conversation, _lifecycle(conversation, "closed"))


def send_event(conversation: Conversation, name: str) -> None:
    """Any documented event, as a transfer or consult would send it (state unchanged)."""
    known = (*EVENT_NAMES, *SAMPLE_EVENT_NAMES)
    if name not in known:
        raise RepActionError(f"{name!r} is not a documented event name: use one of {known}.")
    with transaction.atomic():
        conversation = _locked(
            conversation, Conversation.OPEN, Conversation.ACTIVE, Conversation.WRAPUP
        )
        _event(conversation, name)
