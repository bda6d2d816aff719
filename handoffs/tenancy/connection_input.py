"""Normalising and checking connection input before any call leaves the service.

This is where a tenant could otherwise aim the service at an internal address (SSRF), so
production accepts https Dynamics and Entra hosts only.
"""

from __future__ import annotations

import uuid

from handoffs.outbound import policy


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
    try:
        return policy.microsoft_url(value, allowed, label)
    except policy.RefusedUrl as exc:
        raise ConnectionInputError(field, str(exc)) from None


def normalise_environment_url(value: str) -> str:
    return _normalise_url(
        "environment_url", value, policy.DYNAMICS_HOST_SUFFIXES, "The environment URL"
    )


def normalise_authority_host(value: str) -> str:
    return _normalise_url("authority_host", value, policy.AUTHORITY_HOSTS, "The authority host")


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
