"""Reading an activity Dynamics posts to the webhook, whichever documented shape it has.

Reference: https://learn.microsoft.com/en-us/dynamics365/contact-center/extend/api/api-conversation-webhook
Bot Framework activities: type (message, typing, event), name (the event's name), from, text,
attachments. The page's samples send events as `type: message` with a `name` while its table
says `type: event`; an earlier version showed PascalCase keys. Keys are therefore read in any
letter case, and an activity with a name is an event whichever type it came with (inferred).
"""

from __future__ import annotations

from typing import Any

TEXT_LIMIT = 20_000  # stored per event; a rep's message is at most 6,000 characters


def _member(data: Any, name: str) -> Any:
    """data[name] in any letter case, else None."""
    if not isinstance(data, dict):
        return None
    wanted = name.lower()
    return next((value for key, value in data.items() if str(key).lower() == wanted), None)


def _text(value: Any, limit: int = 256) -> str:
    if not isinstance(value, str | int) or value == "":
        return ""
    # Storable text only: no NUL, no lone surrogate (a database refuses both).
    text = str(value)[:limit].replace("\x00", "")
    return text.encode("utf-8", "replace").decode("utf-8")


def _attachments(raw: Any) -> list[dict[str, str]]:
    if not isinstance(raw, list):
        return []
    return [
        {
            "name": _text(_member(item, "name")),
            "content_type": _text(_member(item, "contentType")),
            "url": _text(_member(item, "contentUrl"), 4000),
        }
        for item in raw
        if isinstance(item, dict)
    ]


def normalised(body: dict[str, Any]) -> dict[str, Any]:
    """The activity's parts the product relies on, under fixed lower-case keys."""
    kind = _text(_member(body, "type")).lower()
    name = _text(_member(body, "name"))
    sender = _member(body, "from")
    found = {
        "type": "event" if name else kind,
        "name": name,
        "id": _text(_member(body, "id")),
        "timestamp": _text(_member(body, "timestamp")),
        "from_name": _text(_member(sender, "name")),
        "text": "" if name else _text(_member(body, "text"), TEXT_LIMIT),
        "attachments": _attachments(_member(body, "attachments")),
    }
    return {key: value for key, value in found.items() if value}
