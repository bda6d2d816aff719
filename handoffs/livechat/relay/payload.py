"""Validation of a customer message OpenCX posts to a live chat, one message per bad field.

The limits are the Messaging API's own (handoffs.livechat.facts): a text it would refuse is
refused here, before anything is stored, so OpenCX hears about it at once rather than never.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from handoffs.dynamics.schema import utf16_length
from handoffs.inbound import identifiers
from handoffs.inbound.payload import InvalidPayload, check_values, iso_datetime
from handoffs.livechat import facts
from handoffs.livechat.relay.models import CustomerMessage

KINDS = tuple(CustomerMessage.Kind.values)
MESSAGE_ID_MAX = 200
URL_MAX = 2000


@dataclass(frozen=True)
class Incoming:
    """A valid customer message, as it will be stored."""

    message_id: str
    kind: str
    text: str
    attachments: list[dict[str, str]]
    sent_at: datetime | None


def _check_message_id(body: dict, errors: dict[str, str]) -> None:
    value = body.get("message_id")
    if not isinstance(value, str) or not value.strip():
        errors["message_id"] = (
            f"Required: a non-empty string (1-{MESSAGE_ID_MAX} characters), unique per session."
        )
    elif len(value) > MESSAGE_ID_MAX:
        errors["message_id"] = f"Too long: {len(value)} characters, at most {MESSAGE_ID_MAX}."
    elif problem := identifiers.problem(value, "message_id"):
        errors["message_id"] = problem


def _check_type(body: dict, errors: dict[str, str]) -> None:
    value = body.get("type")
    if value not in KINDS:
        shown = repr(value)[:50] if isinstance(value, str) else "It"
        errors["type"] = f"{shown} is not a message type: use one of {', '.join(KINDS)}."


def _check_text(body: dict, errors: dict[str, str]) -> None:
    text = body.get("text")
    if text is not None and not isinstance(text, str):
        errors["text"] = "Must be a string."
    elif isinstance(text, str) and utf16_length(text) > facts.TEXT_MAX:
        # Counted as .NET counts a string (UTF-16 code units), the stricter reading of the
        # Messaging API's "characters" (inferred): an emoji counts 2.
        errors["text"] = (
            f"Too long: {utf16_length(text):,} characters, at most {facts.TEXT_MAX:,} (the "
            "limit of Dynamics 365's Messaging API, error 30011; an emoji counts as 2). Split "
            "it into several messages, each with its own message_id, in the order they should "
            "arrive."
        )


def _attachment_problem(item: Any) -> str | None:
    if not isinstance(item, dict):
        return "Must be an object with name, content_type and url."
    for field in ("name", "content_type"):
        value = item.get(field)
        if not isinstance(value, str) or not value.strip():
            return f"{field} is required: a non-empty string."
        if len(value) > facts.SHORT_MAX:
            return f"{field} is {len(value)} characters, at most {facts.SHORT_MAX}."
    url = item.get("url")
    if not isinstance(url, str) or urlsplit(url).scheme not in ("https", "http"):
        return "url is required: an absolute https:// address the rep's browser can open."
    if len(url) > URL_MAX:
        return f"url is {len(url)} characters, at most {URL_MAX}."
    return None


def _check_attachments(body: dict, errors: dict[str, str]) -> None:
    attachments = body.get("attachments")
    if attachments is None:
        return
    if not isinstance(attachments, list):
        errors["attachments"] = "Must be a list of {name, content_type, url} objects."
        return
    for index, item in enumerate(attachments[:20]):
        if problem := _attachment_problem(item):
            errors[f"attachments[{index}]"] = problem


def _check_content(body: dict, errors: dict[str, str]) -> None:
    # Reference: https://learn.microsoft.com/en-us/dynamics365/contact-center/extend/error-handling
    # A message with neither text nor attachments is refused (30016).
    if body.get("type") != CustomerMessage.Kind.MESSAGE or {"text", "attachments"} & set(errors):
        return
    if not (body.get("text") or "").strip() and not body.get("attachments"):
        errors["text"] = "A message needs text or attachments: both are empty."


def validate(body: Any) -> dict:
    """Return the body if it is a valid customer message, else raise InvalidPayload."""
    if not isinstance(body, dict):
        raise InvalidPayload({"": "The body must be a JSON object."})
    errors: dict[str, str] = {}
    _check_message_id(body, errors)
    _check_type(body, errors)
    _check_text(body, errors)
    _check_attachments(body, errors)
    _check_content(body, errors)
    stamp = body.get("timestamp")
    if stamp is not None and not iso_datetime(stamp):
        errors["timestamp"] = "Must be an ISO-8601 date-time, e.g. 2026-11-23T14:00:00Z."
    check_values(body, errors)
    if errors:
        raise InvalidPayload(errors)
    return body


def _moment(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def incoming(body: dict) -> Incoming:
    """The stored form of a valid body: text and attachments only where the type uses them."""
    kind = body["type"]
    is_message = kind == CustomerMessage.Kind.MESSAGE
    return Incoming(
        message_id=body["message_id"],
        kind=kind,
        text=(body.get("text") or "") if is_message else "",
        attachments=[
            {"name": a["name"], "content_type": a["content_type"], "url": a["url"]}
            for a in body.get("attachments") or []
        ]
        if is_message
        else [],
        sent_at=_moment(body.get("timestamp")),
    )
