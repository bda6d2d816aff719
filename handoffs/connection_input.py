"""Normalising and checking connection input before any call leaves the service.

This is where a tenant could otherwise aim the service at an internal address (SSRF), so
production accepts https Dynamics and Entra hosts only.
"""

from __future__ import annotations

import uuid
from urllib.parse import urlsplit

from django.conf import settings

from handoffs.http import is_loopback
from handoffs.public_hosts import is_dns_name

DYNAMICS_HOST_SUFFIXES = (
    ".dynamics.com",  # commercial: crm, crm2 … crm21
    ".dynamics.us",  # GCC High / DoD
    ".dynamics.cn",  # China (21Vianet)
    ".crm.microsoftdynamics.de",
    ".crm.appsplatform.us",
    ".crm.microsoftdynamics.us",
)
AUTHORITY_HOSTS = (
    "login.microsoftonline.com",
    "login.microsoftonline.us",
    "login.partner.microsoftonline.cn",
    "login.chinacloudapi.cn",
)


class ConnectionInputError(ValueError):
    """One field is wrong; `field` names it and the message says how to fix it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def normalise_guid(field: str, value: str, label: str) -> str:
    cleaned = (value or "").strip().strip("{}")
    try:
        return str(uuid.UUID(cleaned))
    except ValueError:
        raise ConnectionInputError(
            field, f"{label} must be a GUID like 00000000-0000-0000-0000-000000000000."
        ) from None


def _normalise_url(field: str, value: str, allowed: tuple[str, ...], label: str) -> str:
    raw = (value or "").strip()
    if not raw:
        raise ConnectionInputError(field, f"{label} is required.")
    if "://" not in raw:
        raw = "https://" + raw
    example = "https://" + ("contoso.crm" + allowed[0] if allowed[0][0] == "." else allowed[0])
    try:
        parts = urlsplit(raw)
        host, port = (parts.hostname or "").lower(), parts.port
    except ValueError:  # a broken IPv6 literal or a port out of range
        raise ConnectionInputError(field, f"{label} must be a URL like {example}.") from None
    if not host:
        raise ConnectionInputError(field, f"{label} must be a URL like {example}.")
    if is_loopback(raw) and settings.ALLOW_LOOPBACK_DYNAMICS_URLS:
        # Local stand-ins (development and tests only) keep their scheme and path.
        return raw.rstrip("/")
    if parts.scheme not in ("https", "http"):
        raise ConnectionInputError(field, f"{label} must start with https://.")
    if port not in (None, 443) or parts.username or parts.password:
        raise ConnectionInputError(field, f"{label} takes no port and no user name.")
    # HTTP clients split hosts differently from urlsplit ("evil.com\\.crm.dynamics.com" reaches
    # evil.com), so only plain DNS names pass; entries starting with a dot are suffixes.
    suffixes = tuple(a for a in allowed if a.startswith("."))
    if not is_dns_name(host) or not (host in allowed or host.endswith(suffixes)):
        examples = ", ".join(a.lstrip(".") for a in allowed[:3])
        raise ConnectionInputError(field, f"{label} must be a Microsoft host ({examples} …).")
    # Path, query and trailing slash are dropped: the scope and the API paths are built from
    # the bare origin, and a stray "/main.aspx" or "/" is the most common paste mistake.
    return f"https://{host}"


def normalise_environment_url(value: str) -> str:
    return _normalise_url("environment_url", value, DYNAMICS_HOST_SUFFIXES, "The environment URL")


def normalise_authority_host(value: str) -> str:
    return _normalise_url("authority_host", value, AUTHORITY_HOSTS, "The authority host")


def looks_like_secret_id(value: str) -> bool:
    """A client secret's *ID* is a GUID; its *Value* never is."""
    try:
        uuid.UUID(value.strip())
    except ValueError:
        return False
    return True


def normalise_connection(raw: dict) -> dict:
    """Return cleaned connection fields or raise ConnectionInputError for the first bad one."""
    secret = (raw.get("client_secret") or "").strip()
    if secret and looks_like_secret_id(secret):
        raise ConnectionInputError(
            "client_secret",
            "This looks like the Secret ID: paste the Value, not the Secret ID "
            "(Azure shows the Value once, when the secret is created).",
        )
    cleaned = {
        "azure_tenant_id": normalise_guid(
            "azure_tenant_id", raw.get("azure_tenant_id", ""), "The Directory (tenant) ID"
        ),
        "client_id": normalise_guid(
            "client_id", raw.get("client_id", ""), "The Application (client) ID"
        ),
        "environment_url": normalise_environment_url(raw.get("environment_url", "")),
        "authority_host": normalise_authority_host(
            raw.get("authority_host") or "https://login.microsoftonline.com"
        ),
    }
    if secret:
        cleaned["client_secret"] = secret
    return cleaned
