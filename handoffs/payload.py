"""Validation of the webhook body (DESIGN §4.1), with one message per offending field."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from handoffs.models import CHANNEL_LABELS

MAX_BODY_BYTES = 1024 * 1024
MAX_TRANSCRIPT_MESSAGES = 5000
ROLES = ("customer", "assistant", "agent", "system")
OPTIONAL_TEXT = ("classification", "sentiment", "summary", "language")
CUSTOMER_FIELDS = ("name", "email", "phone")


class InvalidPayload(Exception):
    """The body is JSON but not a valid handoff; `details` maps field paths to messages."""

    def __init__(self, details: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in details.items()))
        self.details = details


def _optional_text(value: Any) -> bool:
    return value is None or isinstance(value, str)


def _check_session_id(body: dict, errors: dict[str, str]) -> None:
    value = body.get("session_id")
    if not isinstance(value, str) or not value.strip():
        errors["session_id"] = "Required: a non-empty string (1-200 characters)."
    elif len(value) > 200:
        errors["session_id"] = f"Too long: {len(value)} characters, at most 200."


def _check_channel(body: dict, errors: dict[str, str]) -> None:
    if body.get("channel") not in CHANNEL_LABELS:
        errors["channel"] = "Required: one of " + ", ".join(CHANNEL_LABELS) + "."


def _check_customer(body: dict, errors: dict[str, str]) -> None:
    customer = body.get("customer")
    if customer is None:
        return
    if not isinstance(customer, dict):
        errors["customer"] = "Must be an object with optional name, email and phone."
        return
    for field in CUSTOMER_FIELDS:
        if not _optional_text(customer.get(field)):
            errors[f"customer.{field}"] = "Must be a string or null."
    email = customer.get("email")
    if isinstance(email, str) and email.strip() and "@" not in email:
        errors["customer.email"] = f"Not an email address: {email[:100]!r}."


def _check_message(index: int, message: Any, errors: dict[str, str]) -> None:
    where = f"transcript[{index}]"
    if not isinstance(message, dict):
        errors[where] = "Must be an object with role, text and an optional timestamp."
        return
    if message.get("role") not in ROLES:
        errors[f"{where}.role"] = "Must be one of " + ", ".join(ROLES) + "."
    if not isinstance(message.get("text"), str):
        errors[f"{where}.text"] = "Required: a string."
    stamp = message.get("timestamp")
    if stamp is not None:
        try:
            datetime.fromisoformat(str(stamp).replace("Z", "+00:00"))
        except ValueError:
            errors[f"{where}.timestamp"] = (
                "Must be an ISO-8601 date-time, e.g. 2026-11-23T14:00:00Z."
            )


def _check_transcript(body: dict, errors: dict[str, str]) -> None:
    transcript = body.get("transcript", [])
    if transcript is None:
        return
    if not isinstance(transcript, list):
        errors["transcript"] = "Must be a list of messages."
        return
    if len(transcript) > MAX_TRANSCRIPT_MESSAGES:
        errors["transcript"] = (
            f"Too many messages: {len(transcript)}, at most {MAX_TRANSCRIPT_MESSAGES}."
        )
        return
    for index, message in enumerate(transcript):
        _check_message(index, message, errors)
        if len(errors) >= 20:  # enough to fix the sender; the rest would be noise
            return


def validate(body: Any) -> dict:
    """Return the body if it is a valid handoff, else raise InvalidPayload."""
    if not isinstance(body, dict):
        raise InvalidPayload({"": "The body must be a JSON object."})
    errors: dict[str, str] = {}
    _check_session_id(body, errors)
    _check_channel(body, errors)
    _check_customer(body, errors)
    for field in OPTIONAL_TEXT:
        if not _optional_text(body.get(field)):
            errors[field] = "Must be a string or null."
    if body.get("metadata") is not None and not isinstance(body.get("metadata"), dict):
        errors["metadata"] = "Must be an object."
    _check_transcript(body, errors)
    if errors:
        raise InvalidPayload(errors)
    return body


def session_fields(body: dict) -> dict[str, str]:
    """The searchable columns copied out of a valid body."""
    customer = body.get("customer") or {}
    return {
        "customer_name": (customer.get("name") or "").strip()[:200],
        "customer_email": (customer.get("email") or "").strip().lower()[:254],
        "customer_phone": (customer.get("phone") or "").strip()[:64],
        "classification": (body.get("classification") or "").strip()[:200],
        "sentiment": (body.get("sentiment") or "").strip()[:100],
    }
