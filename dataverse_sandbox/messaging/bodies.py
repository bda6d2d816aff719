"""Reading request bodies: what the docs allow, refused with the documented 300xx codes.

References:
https://learn.microsoft.com/en-us/dynamics365/contact-center/extend/api/api-conversation-create
https://learn.microsoft.com/en-us/dynamics365/contact-center/extend/api/api-conversation-endpoint
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from dataverse_sandbox.messaging import facts
from dataverse_sandbox.messaging.problems import coded


@dataclass
class CreateRequest:
    customer: dict[str, str]
    context: list[list]
    request_id: str
    start_text: str | None
    start_name: str
    skip_deflection_bot: bool


@dataclass
class Activity:
    type: str
    client_id: str = ""
    from_id: str = ""
    from_name: str = ""
    text: str = ""
    attachments: list[dict] = field(default_factory=list)
    channel_data: dict = field(default_factory=dict)
    name: str = ""
    value: object = None


def json_object(raw: bytes) -> dict:
    """The body as a JSON object, else 30012."""
    try:
        body = json.loads(raw or b"")
    except (ValueError, UnicodeDecodeError):
        raise coded(30012, "Send a JSON object with Content-Type: application/json.") from None
    if not isinstance(body, dict):
        raise coded(30012, "The body must be a JSON object.")
    return body


def _string(value: object, where: str, limit: int | None = None) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise coded(30012, f"{where} must be a string.")
    if limit is not None and len(value) > limit:
        raise coded(30012, f"{where} is {len(value)} characters; at most {limit} are allowed.")
    return value


def create_request(body: dict) -> CreateRequest:
    """A conversation/create body, checked."""
    customer_raw = body.get("customercontext") or {}
    if not isinstance(customer_raw, dict):
        raise coded(30012, "customercontext must be a JSON object.")
    customer = {
        name: _string(customer_raw.get(name), f"customercontext.{name}", facts.CUSTOMER_FIELD_MAX)
        for name in facts.CUSTOMER_FIELDS
    }
    start_text, start_name = _start_message(body, customer_raw)
    # The field table puts skipdeflectionbot inside customercontext, the sample at the top.
    skip = body.get("skipdeflectionbot", customer_raw.get("skipdeflectionbot", False))
    if not isinstance(skip, bool):
        raise coded(30012, "skipdeflectionbot must be true or false.")
    return CreateRequest(
        customer={k: v for k, v in customer.items() if v},
        context=_context(body.get("conversationcontext")),
        request_id=_string(body.get("conversationrequestid"), "conversationrequestid", 200),
        start_text=start_text,
        start_name=start_name,
        skip_deflection_bot=skip,
    )


def _start_message(body: dict, customer: dict) -> tuple[str | None, str]:
    """(text, display name): the sample's top-level object, or the table's string (in either)."""
    raw = body.get("startmessage", customer.get("startmessage"))
    if raw is None:
        return None, ""
    if isinstance(raw, str):
        text, name = raw, ""
    elif isinstance(raw, dict):
        text = _string(raw.get("message"), "startmessage.message")
        name = _string(raw.get("displayname"), "startmessage.displayname", facts.SHORT_MAX)
    else:
        raise coded(30012, 'startmessage must be {"message", "displayname"} or a string.')
    size = len(text.encode())
    if size > facts.START_MESSAGE_MAX_BYTES:
        raise coded(
            30012,
            f"startmessage is {size} bytes of UTF-8; at most {facts.START_MESSAGE_MAX_BYTES} "
            "(27 KB) are allowed.",
        )
    return (text or None), name


def _context(raw: object) -> list[list]:
    if raw is None:
        return []
    if not isinstance(raw, dict):
        raise coded(30012, "conversationcontext must be a JSON object of named variables.")
    if len(raw) > facts.CONTEXT_MAX:
        raise coded(30010, f"It has {len(raw)} entries.")
    return [[name, value] for name, value in raw.items()]


def activity(body: dict, channel_id: str, conversation_id: str) -> Activity:
    """A conversation/{id} body, checked against the headers and the URL."""
    kind = _string(body.get("type"), "type", facts.SHORT_MAX)
    if kind not in facts.ACTIVITY_TYPES:
        allowed = ", ".join(facts.ACTIVITY_TYPES)
        raise coded(30003, f"Activity type {kind!r} is not one of {allowed}.")
    _same_ids(body, channel_id, conversation_id)
    sender = body.get("from") or {}
    if not isinstance(sender, dict):
        raise coded(30012, "from must be a JSON object.")
    channel_data = body.get("channelData") or {}
    if not isinstance(channel_data, dict):
        raise coded(30012, "channelData must be a JSON object.")
    found = Activity(
        type=kind,
        client_id=_string(_as_text(body.get("id")), "id", facts.SHORT_MAX),
        from_id=_string(sender.get("id"), "from.id", facts.SHORT_MAX),
        from_name=_string(sender.get("name"), "from.name", facts.SHORT_MAX),
        channel_data=channel_data,
        name=_string(body.get("name"), "name", facts.SHORT_MAX),
        value=body.get("value"),
    )
    if kind == "message":
        _message_content(found, body)
    return found


def _as_text(value: object) -> object:
    return str(value) if isinstance(value, int) else value


def _same_ids(body: dict, channel_id: str, conversation_id: str) -> None:
    # The channelId in the body must match the header; the custom-event sample omits it.
    sent_channel = body.get("channelId")
    if sent_channel is not None and str(sent_channel).lower() != channel_id.lower():
        raise coded(30002, "channelId in the body differs from the channel-id header.")
    conversation = body.get("conversation")
    if conversation is not None and not isinstance(conversation, dict):
        raise coded(30012, 'conversation must be {"id": "<conversation id>"}.')
    sent_conversation = (conversation or {}).get("id")
    if sent_conversation is not None and str(sent_conversation).lower() != conversation_id:
        raise coded(30005, "conversation.id in the body differs from the one in the URL.")


def _message_content(found: Activity, body: dict) -> None:
    text = body.get("text")
    if text is not None and not isinstance(text, str):
        raise coded(30012, "text must be a string.")
    if text and len(text) > facts.TEXT_MAX:
        raise coded(30011, f"This text has {len(text)} characters.")
    attachments = body.get("attachments") or []
    if not isinstance(attachments, list) or not all(isinstance(a, dict) for a in attachments):
        raise coded(30012, "attachments must be a list of JSON objects.")
    found.text = text or ""
    found.attachments = [_attachment(a, n) for n, a in enumerate(attachments)]
    if not found.text.strip() and not found.attachments:
        raise coded(30016)


def _attachment(raw: dict, n: int) -> dict:
    where = f"attachments[{n}]"
    return {
        "contentType": _string(raw.get("contentType"), f"{where}.contentType", facts.SHORT_MAX),
        "contentUrl": _string(raw.get("contentUrl"), f"{where}.contentUrl"),
        "name": _string(raw.get("name"), f"{where}.name", facts.SHORT_MAX),
    }
