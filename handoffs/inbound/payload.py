"""Validation of the webhook body, with one message per offending field."""

from __future__ import annotations

import json
import math
from datetime import datetime
from typing import Any

from handoffs import channels
from handoffs.inbound import identifiers

MAX_BODY_BYTES = 1024 * 1024
MAX_TRANSCRIPT_MESSAGES = 5000
# Objects and lists inside objects and lists; deeper bodies are refused before they are stored
# (each layer costs a stack frame wherever the body is encoded or read again).
MAX_DEPTH = 64
# Python refuses to print integers longer than this (sys.get_int_max_str_digits()).
MAX_INTEGER_DIGITS = 4300
ROLES = ("customer", "assistant", "agent", "system")
OPTIONAL_TEXT = ("classification", "sentiment", "summary", "language")
CUSTOMER_FIELDS = ("name", "email", "phone")
UNSTORABLE_TEXT = (
    "Contains a NUL character (\\u0000) or an unpaired surrogate escape (\\ud800-\\udfff), "
    "which is not text: remove it or send valid Unicode."
)


class InvalidPayload(Exception):
    """The body is JSON but not a valid handoff; `details` maps field paths to messages."""

    def __init__(self, details: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in details.items()))
        self.details = details


class InvalidJson(Exception):
    """The body is not JSON; `details` says what the parser found and where."""

    def __init__(self, message: str, details: dict[str, str]) -> None:
        super().__init__(message)
        self.message = message
        self.details = details


def _refuse_constant(name: str) -> None:
    raise ValueError(f"{name} is not a JSON value: send a number or null")


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"the number {text[:40]} is out of range")
    return value


def _integer(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INTEGER_DIGITS:
        raise ValueError(
            f"a number has {len(text.lstrip('-'))} digits, at most {MAX_INTEGER_DIGITS}: "
            "send long numbers as strings"
        )
    return int(text)


def parse(raw: bytes) -> Any:
    """Decode the body as strict JSON (RFC 8259: no NaN or Infinity), or raise InvalidJson."""
    try:
        return json.loads(
            raw, parse_constant=_refuse_constant, parse_float=_finite, parse_int=_integer
        )
    except RecursionError:
        problem = "nested too deeply: keep objects and lists within a few hundred levels"
    except UnicodeDecodeError:
        problem = "not UTF-8 text: encode the body as UTF-8"
    except ValueError as exc:
        problem = str(exc)
    raise InvalidJson(f"The body is not valid JSON: {problem}.", {"body": problem})


def _optional_text(value: Any) -> bool:
    return value is None or isinstance(value, str)


def _check_session_id(body: dict, errors: dict[str, str]) -> None:
    value = body.get("session_id")
    if not isinstance(value, str) or not value.strip():
        errors["session_id"] = "Required: a non-empty string (1-200 characters)."
    elif len(value) > 200:
        errors["session_id"] = f"Too long: {len(value)} characters, at most 200."
    elif identifiers.problem(value):
        errors["session_id"] = identifiers.problem(value)


def _check_channel(body: dict, errors: dict[str, str]) -> None:
    value = body.get("channel")
    if channels.get(value) is not None:
        return
    allowed = channels.listed()
    if value is None:
        errors["channel"] = f"Required: one of {allowed}."
    elif not isinstance(value, str):
        # Named by its type, never printed: a deeply nested value cannot even be printed.
        errors["channel"] = (
            f"{_json_type(value)} is not a channel: send a string, one of {allowed}."
        )
    elif channels.get(value.strip().lower()) is not None:
        # Channels are matched exactly, as documented; say which spelling is expected.
        errors["channel"] = (
            f"{value[:50]!r} is not a channel: channels are lowercase, "
            f"send {value.strip().lower()!r} (one of {allowed})."
        )
    else:
        errors["channel"] = f"{value[:50]!r} is not a channel: use one of {allowed}."


def _json_type(value: Any) -> str:
    """How JSON calls the value's type, for messages about a value of the wrong type."""
    if isinstance(value, bool):
        return "A boolean"
    if isinstance(value, dict):
        return "An object"
    if isinstance(value, list):
        return "A list"
    return "A number" if isinstance(value, int | float) else "A value"


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
    if stamp is not None and not iso_datetime(stamp):
        errors[f"{where}.timestamp"] = "Must be an ISO-8601 date-time, e.g. 2026-11-23T14:00:00Z."


def iso_datetime(value: Any) -> bool:
    """Whether `value` is an ISO-8601 date-time string."""
    if not isinstance(value, str):
        return False
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


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


def _unstorable(text: str) -> bool:
    """True for text no database can hold: NUL, or a lone UTF-16 surrogate from a bad escape."""
    if "\x00" in text:
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def check_values(body: dict, errors: dict[str, str]) -> None:
    """Every string storable, every object and list within MAX_DEPTH levels (else in errors)."""
    # Walked without recursion: json.loads already accepted any depth Python can parse.
    stack: list[tuple[str, Any, int]] = [("", body, 1)]
    while stack and len(errors) < 20:
        where, value, depth = stack.pop()
        if isinstance(value, str) and _unstorable(value):
            errors.setdefault(where[:200] or "body", UNSTORABLE_TEXT)
        elif isinstance(value, dict | list) and depth > MAX_DEPTH:
            errors[where[:200]] = (
                f"Nested too deeply: objects and lists may be nested at most {MAX_DEPTH} "
                "levels deep. Flatten this value or send it as a string."
            )
        elif isinstance(value, dict):
            for key, item in value.items():
                if _unstorable(key):
                    errors[where[:200] or "body"] = UNSTORABLE_TEXT
                else:
                    stack.append((f"{where}.{key}" if where else key, item, depth + 1))
        elif isinstance(value, list):
            stack.extend((f"{where}[{i}]", item, depth + 1) for i, item in enumerate(value))


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
    check_values(body, errors)
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
