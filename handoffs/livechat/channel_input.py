"""Normalising the channel's values and deriving the Messaging API's token scope.

Reference: https://learn.microsoft.com/en-us/dynamics365/contact-center/extend/configure-custom-messaging-channel
The scope is https://{organization id without dashes}-c.{zone}.dynamics.com/.default. The zone
is the label after the environment's name in a commercial environment URL (contoso.crm4.dynamics
.com → crm4, see handoffs.livechat.facts); other hosts (sovereign clouds, a local stand-in) have
no such label, so the admin gives the zone in an advanced field.
"""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import urlsplit

from handoffs.livechat import facts
from handoffs.livechat.models import DEFAULT_AUTHORITY
from handoffs.outbound import policy
from handoffs.tenancy.connection_input import (
    ConnectionInputError,
    looks_like_secret_id,
    normalise_authority_host,
    normalise_guid,
)

__all__ = ["ConnectionInputError", "derived_zone", "messaging_scope", "normalise_channel"]


def normalise_base_url(value: str) -> str:
    """The messaging base URL as a bare https origin on Microsoft's messaging host."""
    try:
        return policy.microsoft_url(
            value,
            policy.MESSAGING_HOST_SUFFIXES,
            "The messaging base URL",
            facts.BASE_URL_EXAMPLE,
        )
    except policy.RefusedUrl as exc:
        raise ConnectionInputError("base_url", str(exc)) from None


def organization_in_base_url(base_url: str) -> str | None:
    """The organization id a base URL names (its host starts m-<org id>.), else None."""
    label = (urlsplit(base_url).hostname or "").split(".", 1)[0]
    if not label.startswith("m-"):
        return None
    try:
        return str(uuid.UUID(label[2:]))
    except ValueError:
        return None


def check_base_url_matches(base_url: str, organization_id: str) -> None:
    """Refuse a base URL that names another organization than the one given."""
    named = organization_in_base_url(base_url)
    if named and named != organization_id:
        raise ConnectionInputError(
            "base_url",
            f"The messaging base URL names organization {named}, but the organization ID is "
            f"{organization_id}: copy both from the same environment.",
        )


def normalise_zone(value: str) -> str:
    """A zone like crm or crm4 (lower case), or '' for "derive it"."""
    zone = (value or "").strip().lower().strip(".")
    if zone and not facts.ZONE.match(zone):
        raise ConnectionInputError(
            "zone", "The zone is one word like crm, crm4 or crm11 (letters, digits, hyphens)."
        )
    return zone


def derived_zone(environment_url: str) -> str:
    """The zone in a commercial environment URL's host, else ''."""
    host = (urlsplit(environment_url or "").hostname or "").lower()
    found = facts.ZONE_FROM_HOST.match(host)
    return found.group(1) if found else ""


def messaging_scope(organization_id: object, zone: str) -> str:
    """The token scope of an organization's Messaging API."""
    org = uuid.UUID(str(organization_id)).hex  # without dashes
    return facts.SCOPE_TEMPLATE.format(org=org, zone=zone)


def normalise_app_id_uri(value: str) -> str:
    """An Application ID URI like api://<client id> (optional)."""
    uri = (value or "").strip()
    if uri and ("://" not in uri or len(uri) > 300 or any(c.isspace() for c in uri)):
        raise ConnectionInputError(
            "app_id_uri",
            "The Application ID URI looks like api://<client id> (Expose an API in the app "
            "registration); leave it blank to accept api://<client id>.",
        )
    return uri


def normalise_app(raw: dict[str, Any], *, secret_stored: bool) -> dict[str, Any]:
    """The channel's own Entra app: directory, application, secret, authority."""
    secret = (raw.get("client_secret") or "").strip()
    if secret and looks_like_secret_id(secret):
        raise ConnectionInputError(
            "client_secret",
            "This looks like the Secret ID: paste the Value, not the Secret ID.",
        )
    if not secret and not secret_stored:
        raise ConnectionInputError(
            "client_secret", "Paste the client secret's Value of the channel's app."
        )
    app = {
        "azure_tenant_id": normalise_guid(
            "azure_tenant_id", raw.get("azure_tenant_id", ""), "The Directory (tenant) ID"
        ),
        "client_id": normalise_guid(
            "client_id", raw.get("client_id", ""), "The Application (client) ID"
        ),
        "authority_host": normalise_authority_host(raw.get("authority_host") or DEFAULT_AUTHORITY),
    }
    return {**app, "client_secret": secret} if secret else app


def normalise_channel(raw: dict[str, Any], *, secret_stored: bool = False) -> dict[str, Any]:
    """Cleaned channel values, or ConnectionInputError naming the first wrong field."""
    organization_id = normalise_guid(
        "organization_id", raw.get("organization_id", ""), "The organization ID"
    )
    base_url = normalise_base_url(raw.get("base_url", ""))
    check_base_url_matches(base_url, organization_id)
    cleaned = {
        "base_url": base_url,
        "organization_id": organization_id,
        "channel_id": normalise_guid("channel_id", raw.get("channel_id", ""), "The channel ID"),
        "zone": normalise_zone(raw.get("zone", "")),
        "app_id_uri": normalise_app_id_uri(raw.get("app_id_uri", "")),
        "own_app": bool(raw.get("own_app")),
    }
    if cleaned["own_app"]:
        cleaned.update(normalise_app(raw, secret_stored=secret_stored))
    return cleaned


def zone_in_scope(scope: str) -> str:
    """The zone of a messaging scope (https://<org>-c.<zone>.dynamics.com/.default), else ''."""
    host = (urlsplit(scope).hostname or "").lower()
    labels = host.split(".")
    if len(labels) == 4 and labels[0].endswith("-c") and labels[2:] == ["dynamics", "com"]:
        return normalise_zone(labels[1])
    return ""
