"""Every way Entra ID or Dataverse can refuse us, classified once into a catalogue entry.

The codes, their messages and fixes live in the one catalogue, handoffs.errors.
"""

from __future__ import annotations

import json
import re
from typing import Any

from handoffs.errors import HandoffError

# Reference: https://learn.microsoft.com/en-us/entra/identity-platform/reference-error-codes
AADSTS_CODES: dict[int, str] = {
    90002: "entra_tenant_not_found",
    900023: "entra_tenant_not_found",
    700016: "entra_app_not_found",
    7000215: "entra_invalid_secret",
    7000222: "entra_secret_expired",
    7000218: "entra_missing_secret",
    7000112: "entra_app_disabled",
    500011: "entra_environment_not_found",
    1002012: "entra_invalid_scope",
    70011: "entra_invalid_scope",
    90024: "entra_unavailable",
    90033: "entra_unavailable",
}

# Codes and wording as Dataverse answers them.
# Reference: https://learn.microsoft.com/en-us/power-apps/developer/data-platform/reference/web-service-error-codes
# Reference: https://learn.microsoft.com/en-us/power-apps/developer/data-platform/webapi/troubleshoot-web-api-client-errors
NO_APPLICATION_USER = "0x80072560"
PRIVILEGE_CODES = frozenset({"0x80040220", "0x80048306"})
DUPLICATE_RECORD = "0x80040237"
VALUE_TOO_LONG = "0x80044331"
PAYLOAD_ERROR = "0x80048d19"  # "Error identified in Payload provided by the user…"
QUERY_UNKNOWN_PROPERTY = "0x80060888"  # an unknown name in $select, $filter or the path
# Change tracking: ExpiredVersionStamp (a delta token Dataverse no longer keeps changes for) and
# ChangeTrackingNotEnabledForEntity (the table's "Track changes" is off).
TRACKING_CODES = {"0x80044352": "change_tracking_expired", "0x80072491": "change_tracking_disabled"}
OMNICHANNEL_SET = "msdyn_ocliveworkitems"
DETAIL_LIMIT = 300
# The property a payload error names, in Dataverse's (OData's) own words.
UNDECLARED = re.compile(r"undeclared property '([^']+)'")
INVALID_PROPERTY = re.compile(r"Invalid property '([^']+)' was found")
TOO_LONG_COLUMN = re.compile(r"length of the '([^']+)' attribute")
MISSING_RECORD = re.compile(r"(\w+) With Id = ([0-9a-fA-F-]{36}) Does Not Exist")


def _quote(text: str) -> str:
    text = " ".join(str(text).split())
    if len(text) > DETAIL_LIMIT:
        text = text[: DETAIL_LIMIT - 1] + "…"
    return f"Dynamics said: “{text}”" if text else ""


def from_entra_result(result: dict[str, Any]) -> HandoffError:
    """Classify msal's error dict from the token endpoint by its AADSTS codes."""
    for number in result.get("error_codes") or []:
        code = AADSTS_CODES.get(_as_int(number))
        if code:
            return HandoffError(code)
    error = str(result.get("error") or "")
    if error == "temporarily_unavailable":
        return HandoffError("entra_unavailable")
    found = re.findall(r"AADSTS(\d+)", str(result.get("error_description") or ""))
    for number in found:
        code = AADSTS_CODES.get(int(number))
        if code:
            return HandoffError(code)
    label = f"AADSTS{found[0]}" if found else error or "unknown error"
    return HandoffError("entra_rejected", detail=f"Entra ID error: {label}.")


def from_discovery_failure(text: str) -> HandoffError:
    """Classify msal's failure to read the directory's OpenID configuration."""
    for number in re.findall(r"AADSTS(\d+)", text):
        code = AADSTS_CODES.get(int(number))
        if code:
            return HandoffError(code)
    return HandoffError("entra_discovery_failed")


def _as_int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1


def _error_body(raw: bytes | str) -> tuple[str, str]:
    """(error.code, error.message) of a Dataverse error body, blank when absent."""
    try:
        error = json.loads(raw or b"{}").get("error") or {}
    except (ValueError, AttributeError):
        return "", ""
    if not isinstance(error, dict):
        return "", ""
    return str(error.get("code") or "").lower(), str(error.get("message") or "")


def missing_privilege(message: str) -> str:
    """'prvCreateIncident on entity incident' from a PrivilegeDenied message, or ''."""
    privilege = re.search(r"\b(prv[A-Za-z0-9_]+)", message)
    if not privilege:
        return ""
    entity = re.search(r"entity '([a-z0-9_]+)'", message)
    return privilege.group(1) + (f" on {entity.group(1)}" if entity else "")


def from_response(
    status: int, raw: bytes | str, path: str, retry_after: float | None = None
) -> HandoffError:
    """Classify a Dataverse error answer by HTTP status and error.code."""
    dataverse_code, message = _error_body(raw)
    code = _dataverse_code(status, dataverse_code, message, path)
    common = {
        "http_status": status,
        "dataverse_code": dataverse_code,
        "subject": named_property(code, message),
    }
    if code == "dataverse_missing_privilege":
        named = missing_privilege(message)
        detail = f"Missing: {named}." if named else _quote(message)
        return HandoffError(code, detail=detail, **common)
    if code == "rate_limited":
        return HandoffError(code, retry_after=retry_after, **common)
    if code == "dataverse_unavailable":
        return HandoffError(code, detail=f"HTTP {status}.", retry_after=retry_after, **common)
    if code in ("dataverse_rejected", "dataverse_bad_request", "dataverse_forbidden", *PAYLOAD):
        return HandoffError(code, detail=f"HTTP {status}. {_quote(message)}".strip(), **common)
    return HandoffError(code, detail=_quote(message), **common)


def _dataverse_code(status: int, dataverse_code: str, message: str, path: str) -> str:
    if status == 429:
        return "rate_limited"
    if status < 500 and dataverse_code in TRACKING_CODES:
        return TRACKING_CODES[dataverse_code]
    if status >= 500 or status == 408:
        return "dataverse_unavailable"
    if status == 401:
        return "dataverse_unauthorized"
    if status == 403:
        return _forbidden_code(dataverse_code, message)
    if OMNICHANNEL_SET in path and "segment" in message.lower() and status in (400, 404):
        return "omnichannel_not_installed"
    if status == 404:
        return "dataverse_not_found"
    if status == 412 and dataverse_code == DUPLICATE_RECORD:
        return "dataverse_duplicate_record"
    if status == 400:
        return _bad_request_code(dataverse_code, message)
    return "dataverse_rejected"


def _forbidden_code(dataverse_code: str, message: str) -> str:
    if dataverse_code == NO_APPLICATION_USER:
        return "dataverse_no_application_user"
    if dataverse_code in PRIVILEGE_CODES or "missing prv" in message:
        return "dataverse_missing_privilege"
    return "dataverse_forbidden"


def _bad_request_code(dataverse_code: str, message: str) -> str:
    if dataverse_code == VALUE_TOO_LONG:
        return "dataverse_value_too_long"
    if UNDECLARED.search(message):
        return "dataverse_undeclared_property"
    # Services answer an unknown body column with code 0x0, or inside the payload-error wrapper.
    if INVALID_PROPERTY.search(message) or dataverse_code == QUERY_UNKNOWN_PROPERTY:
        return "dataverse_unknown_property"
    if "parent contact or account" in message:
        return "dataverse_customer_required"
    return "dataverse_bad_request"


PAYLOAD = (
    "dataverse_undeclared_property",
    "dataverse_unknown_property",
    "dataverse_value_too_long",
)
SUBJECT_PATTERNS = {
    "dataverse_undeclared_property": UNDECLARED,
    "dataverse_unknown_property": INVALID_PROPERTY,
    "dataverse_value_too_long": TOO_LONG_COLUMN,
}


def named_property(code: str, message: str) -> str:
    """The column or navigation property a payload error names, or ''."""
    pattern = SUBJECT_PATTERNS.get(code)
    found = pattern.search(message) if pattern else None
    return found.group(1) if found else ""


def missing_record(error: HandoffError) -> tuple[str, str] | None:
    """(table, id) of the record a 404 says does not exist, or None."""
    if error.code != "dataverse_not_found":
        return None
    found = MISSING_RECORD.search(error.message)
    return (found.group(1), found.group(2).lower()) if found else None


def from_transport(message: str, *, timed_out: bool) -> HandoffError:
    """Classify a request that got no HTTP answer at all."""
    return HandoffError("timeout" if timed_out else "connection_failed", detail=message)
