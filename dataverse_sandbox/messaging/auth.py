"""Who may call an org's Messaging API: bearer token, organization-id and channel-id headers.

Reference: https://learn.microsoft.com/en-us/dynamics365/contact-center/extend/intro-messaging-apis
Headers `Authorization: Bearer`, `channel-id`, `organization-id`; a missing or bad token is 401.
Until September 2025 the page spelled the headers `x-ms-channel-id` and `x-ms-organization-id`;
both spellings are accepted (whether Microsoft still does is not documented).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest

from dataverse_sandbox import tokens
from dataverse_sandbox.messaging.channel import CHANNEL_TABLE, messaging_resource
from dataverse_sandbox.messaging.facts import MESSAGING_API_CHANNEL
from dataverse_sandbox.messaging.problems import MessagingError, coded
from dataverse_sandbox.models import Org, Record
from dataverse_sandbox.validation import parse_guid


@dataclass
class Channel:
    """The authenticated caller's org and channel row."""

    org: Org
    record: Record

    @property
    def id(self) -> str:
        return str(self.record.record_id)


def unauthorized(detail: str) -> MessagingError:
    return MessagingError(401, detail, headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})


def _header(request: HttpRequest, name: str) -> str:
    return (request.headers.get(name) or request.headers.get(f"x-ms-{name}") or "").strip()


def authenticate(request: HttpRequest, org: Org) -> Channel:
    """The channel the request may act for, or the documented 401/400/404 refusal."""
    claims = _claims(request, org)
    org_header = _header(request, "organization-id")
    if parse_guid(org_header) != str(org.organization_id):
        raise coded(
            30001,
            f"Send this organization's id ({org.organization_id}) in the organization-id header.",
        )
    channel_header = _header(request, "channel-id")
    channel_id = parse_guid(channel_header)
    if channel_id is None:
        raise coded(
            30002, "Send the msdyn_occustommessagingchannelid GUID in the channel-id header."
        )
    record = Record.objects.filter(org=org, entity=CHANNEL_TABLE, record_id=channel_id).first()
    if record is None or not _is_active_messaging_channel(record):
        raise coded(30004, f"No active Messaging API channel {channel_id} in this organization.")
    if str(record.data.get("msdyn_appid", "")).lower() != str(claims.get("appid", "")).lower():
        raise unauthorized(
            f"The token's app is not the channel's msdyn_appid, so channel {channel_id} is not "
            "authorized for it."
        )
    if not record.data.get("msdyn_liveworkstreamid"):
        raise coded(30014, "Add the channel to a messaging workstream.")
    return Channel(org, record)


def _claims(request: HttpRequest, org: Org) -> dict:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise unauthorized("Bearer token is missing: send 'Authorization: Bearer <token>'.")
    resource = messaging_resource(org)
    try:
        return tokens.verify(org, token.strip(), audience=resource)
    except tokens.InvalidToken as exc:
        raise unauthorized(f"{exc} Ask for the scope {resource}/.default.") from None


def _is_active_messaging_channel(record: Record) -> bool:
    data = record.data
    return data.get("msdyn_occustomchannelid") == MESSAGING_API_CHANNEL and not data.get(
        "statecode"
    )
