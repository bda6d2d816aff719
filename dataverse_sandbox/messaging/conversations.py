"""The customer's side of a conversation: create, messages, typing, read receipts, end.

States as in https://learn.microsoft.com/en-us/dynamics365/customer-service/use/oc-conversation-state
Open (waiting for a rep) → Active (a rep accepted) → Wrap-up (the rep ended it) → Closed.
Reference: https://learn.microsoft.com/en-us/dynamics365/contact-center/extend/error-handling
A conversation that is unknown or closed answers 404 (30013); the sandbox treats Wrap-up the
same for new activities (the rep has left; inferred) while its messages stay readable.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from dataverse_sandbox.messaging import records, thread
from dataverse_sandbox.messaging.auth import Channel
from dataverse_sandbox.messaging.bodies import Activity, CreateRequest
from dataverse_sandbox.messaging.facts import AUTOMATED_KEY, READ_EVENT
from dataverse_sandbox.messaging.models import Conversation, Message
from dataverse_sandbox.messaging.problems import coded
from dataverse_sandbox.models import Org
from dataverse_sandbox.validation import parse_guid

LIVE = (Conversation.OPEN, Conversation.ACTIVE)
READABLE = (*LIVE, Conversation.WRAPUP)


def find(channel: Channel, conversation_id: str, states: tuple[str, ...]) -> Conversation:
    """The channel's conversation in one of `states`, else 400 30005 or 404 30013."""
    parsed = parse_guid(conversation_id)
    if parsed is None:
        raise coded(30005, f"{conversation_id!r} is not a GUID.")
    found = Conversation.objects.filter(
        org=channel.org, channel_id=channel.id, id=parsed, state__in=states
    ).first()
    if found is None:
        raise coded(30013, f"No open conversation {parsed} on this channel.")
    return found


def start(channel: Channel, request: CreateRequest) -> tuple[Conversation, bool, int | None]:
    """(conversation, is new, start message id): an active one for the customer, else a new one."""
    with transaction.atomic():
        # Serialise creates per org so two calls for one customer cannot both make one.
        Org.objects.select_for_update().filter(pk=channel.org.pk).first()
        existing = _active_for(channel, request)
        if existing is not None:
            return existing, False, None
        conversation = Conversation.objects.create(
            org=channel.org,
            channel_id=channel.id,
            customer_id=request.customer.get("customerid", ""),
            request_id=request.request_id,
            customer=request.customer,
            context=request.context,
            skip_deflection_bot=request.skip_deflection_bot,
        )
        contact = records.matching_contact(channel.org, request.customer)
        if contact is not None:
            conversation.contact_id = contact.record_id
            conversation.save(update_fields=["contact_id"])
        records.create_row(conversation, channel.record.data.get("msdyn_liveworkstreamid"))
        message_id = None
        if request.start_text:
            start_message = thread.add(
                conversation, Message.START, text=request.start_text, from_name=request.start_name
            )
            message_id = start_message.message_id
    return conversation, True, message_id


def _active_for(channel: Channel, request: CreateRequest) -> Conversation | None:
    live = Conversation.objects.filter(org=channel.org, channel_id=channel.id, state__in=LIVE)
    customer_id = request.customer.get("customerid")
    if customer_id:
        return live.filter(customer_id=customer_id).order_by("-created_at").first()
    # conversationrequestid is undocumented; the sandbox treats a repeat as the same request.
    if request.request_id:
        return live.filter(request_id=request.request_id).order_by("-created_at").first()
    return None


def receive(conversation: Conversation, activity: Activity) -> dict:
    """Apply one customer activity; the documented reply body (or {} where none is shown)."""
    if activity.type == "message":
        automated = (activity.channel_data.get(AUTOMATED_KEY) or {}).get("type")
        message = thread.add(
            conversation,
            Message.CUSTOMER,
            from_id=activity.from_id,
            from_name=activity.from_name,
            text=activity.text,
            attachments=activity.attachments,
            channel_data=activity.channel_data,
            client_id=activity.client_id,
            automated=automated == "AutomatedMessage",
        )
        Conversation.objects.filter(pk=conversation.pk).update(customer_typing_at=None)
        # The reply to a plain message is undocumented; the sandbox answers like a custom event.
        return {"messageId": str(message.message_id)}
    if activity.type == "typing":
        Conversation.objects.filter(pk=conversation.pk).update(customer_typing_at=timezone.now())
        return {}
    if activity.type == "endOfConversation":
        end_by_customer(conversation)
        return {}
    return _event(conversation, activity)


def _event(conversation: Conversation, activity: Activity) -> dict:
    custom = activity.channel_data.get("customEvent") is True
    if activity.name == READ_EVENT and not custom:
        return _read(conversation, activity.value)
    if not custom:
        raise coded(
            30003,
            f"Event {activity.name!r} is not supported: send {READ_EVENT!r} or a custom event "
            '(channelData {"customEvent": true, "customEventName": …}).',
        )
    name = activity.channel_data.get("customEventName") or activity.name
    if name == READ_EVENT:
        raise coded(30003, f"{READ_EVENT!r} is reserved for read receipts.")
    event = thread.add(
        conversation,
        Message.EVENT,
        from_id=activity.from_id,
        from_name=activity.from_name,
        name=str(name)[:256],
        channel_data=activity.channel_data,
        client_id=activity.client_id,
    )
    return {"messageId": str(event.message_id)}


def _read(conversation: Conversation, value: object) -> dict:
    raw = value.get("messageId") if isinstance(value, dict) else None
    if not isinstance(raw, str) or not raw.isdigit() or len(raw) != 13:
        raise coded(30012, 'value.messageId must be a 13-digit message id ("1234567890123").')
    # The read message and every earlier rep message (automated ones excepted) become read.
    conversation.items.filter(
        kind=Message.REP, automated=False, message_id__lte=int(raw), read_at__isnull=True
    ).update(read_at=timezone.now())
    return {"messageId": "", "message": None}


def end_by_customer(conversation: Conversation) -> None:
    """The customer left: a waiting chat closes, an active one goes to the rep's wrap-up."""
    now = timezone.now()
    if conversation.state == Conversation.OPEN:
        conversation.state, conversation.closed_at = Conversation.CLOSED, now
    else:
        conversation.state, conversation.ended_at = Conversation.WRAPUP, now
    conversation.ended_by = "customer"
    conversation.save(update_fields=["state", "closed_at", "ended_at", "ended_by"])
    records.sync_row(conversation)
