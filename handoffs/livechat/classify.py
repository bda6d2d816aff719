"""Every way the Messaging API can refuse us, classified once into a catalogue entry.

Reference: https://learn.microsoft.com/en-us/dynamics365/contact-center/extend/error-handling
Failures carry RFC 7807 problem details (type, title, status, detail) and an x-ms-correlation-id
header. The page lists 300xx codes "in the response body" without saying which member holds
them, so the code is read from any member where it could be: an extension member (errorCode,
code, error.code, in any letter case, as a number or a string), else the first 300xx number in
title, detail or type (inferred).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from handoffs.errors import HandoffError
from handoffs.livechat import facts

CODE_IN_TEXT = re.compile(r"(?<!\d)(300\d\d)(?!\d)")
CODE_MEMBERS = ("errorcode", "code", "error_code")
TEXT_MEMBERS = ("title", "detail", "type")
QUOTE_LIMIT = 300
BY_CODE = {
    facts.ORG_INVALID: "messaging_organization_invalid",
    facts.CHANNEL_INVALID: "messaging_channel_invalid",
    facts.CHANNEL_NOT_FOUND: "messaging_channel_not_found",
    facts.CONTEXT_TOO_LARGE: "messaging_context_too_large",
    facts.CONVERSATION_NOT_FOUND: "messaging_conversation_not_found",
    facts.NO_WORKSTREAM: "messaging_no_workstream",
}
# Entra's answers about the messaging scope: the resource is the org id and zone, not a URL.
SCOPE_CODES = frozenset({"entra_environment_not_found", "entra_invalid_scope"})


def _lowered(body: Mapping[str, Any]) -> dict[str, Any]:
    return {str(key).lower(): value for key, value in body.items()}


def _as_code(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 30000 <= value <= 30099 else None
    if isinstance(value, str):
        found = CODE_IN_TEXT.fullmatch(value.strip())
        return int(found.group(1)) if found else None
    return None


def problem_code(body: Any) -> int | None:
    """The 300xx code of a problem-details body, wherever it sits, or None."""
    if not isinstance(body, Mapping):
        return None
    members = _lowered(body)
    for name in CODE_MEMBERS:
        code = _as_code(members.get(name))
        if code is not None:
            return code
    nested = problem_code(members.get("error"))
    if nested is not None:
        return nested
    for name in TEXT_MEMBERS:
        text = members.get(name)
        found = CODE_IN_TEXT.search(text) if isinstance(text, str) else None
        if found:
            return int(found.group(1))
    return None


def parse(raw: bytes | str) -> Any:
    """The JSON body, or None when it is not JSON."""
    try:
        return json.loads(raw or b"null")
    except (ValueError, UnicodeDecodeError):
        return None


def _said(body: Any) -> str:
    """What the service said, quoted and shortened (detail, else title)."""
    if not isinstance(body, Mapping):
        return ""
    members = _lowered(body)
    text = members.get("detail") or members.get("title") or ""
    text = " ".join(str(text).split())
    if len(text) > QUOTE_LIMIT:
        text = text[: QUOTE_LIMIT - 1] + "…"
    return f"Dynamics said: “{text}”" if text else ""


def _kind(status: int, code: int | None) -> str:
    if status == 429:
        return "messaging_rate_limited"
    if status >= 500 or status == 408:
        return "messaging_unavailable"
    if status == 401:
        return "messaging_unauthorized"
    if code in BY_CODE:
        return BY_CODE[code]
    if status == 404:
        return "messaging_not_found"
    if status == 400:
        return "messaging_bad_request"
    return "messaging_rejected"


def from_response(
    status: int, raw: bytes | str, correlation_id: str = "", retry_after: float | None = None
) -> HandoffError:
    """Classify a Messaging API error answer by HTTP status and 300xx code."""
    body = parse(raw)
    code = problem_code(body)
    parts = [f"HTTP {status}" + (f", code {code}" if code else "") + "."]
    if said := _said(body):
        parts.append(said)
    if correlation_id:
        # Microsoft support finds the exchange by this id.
        parts.append(f"(x-ms-correlation-id {correlation_id})")
    return HandoffError(
        _kind(status, code),
        detail=" ".join(parts),
        http_status=status,
        retry_after=retry_after,
        dataverse_code=str(code or ""),
    )


def from_token_error(error: HandoffError, scope: str) -> HandoffError:
    """A refused messaging-scope token, with a fix that speaks of the org id and zone."""
    if error.code not in SCOPE_CODES:
        return error
    return HandoffError("messaging_scope_not_found", detail=f"Scope: {scope}.")
