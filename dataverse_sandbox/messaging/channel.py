"""An org's Messaging API channel: its Dataverse row, switches, and the fields a tenant needs."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import transaction

from dataverse_sandbox import provisioning
from dataverse_sandbox.messaging.facts import MESSAGING_API_CHANNEL, SANDBOX_ZONE
from dataverse_sandbox.messaging.models import MessagingFaults, MessagingSettings
from dataverse_sandbox.models import Org, Record
from dataverse_sandbox.security import all_privileges
from dataverse_sandbox.store import now_iso

CHANNEL_TABLE = "msdyn_occustommessagingchannel"
CHANNEL_NAME = "OpenCX live chat"
# Each switch and the values it takes (the first is the default; see docs/sandbox.md).
SWITCHES: dict[str, tuple] = {
    "event_type": ("message", "event"),
    "key_case": ("camel", "pascal"),
    "event_names": ("samples", "list"),
    "audience": ("client_id", "app_id_uri"),
    "token_version": (2, 1),
    "error_code_in": ("errorCode", "title", "detail"),
}
NUMBERS = {"webhook_attempts": (1, 10), "retry_backoff_ms": (0, 60_000)}


class ChannelSetupError(ValueError):
    """The channel cannot be configured as asked; the message says why."""


def messaging_resource(org: Org) -> str:
    """The Entra resource the Messaging API's tokens are for (scope without /.default)."""
    return f"https://{org.organization_id.hex}-c.{SANDBOX_ZONE}.dynamics.com"


def messaging_base_url(org: Org, base_url: str | None = None) -> str:
    """Where the sandbox serves the API that Microsoft serves at m-{org id}.{geo}…."""
    return f"{provisioning.environment_url(org, base_url)}/messaging"


def channels(org: Org) -> list[Record]:
    """The org's Messaging API channel rows, oldest first."""
    rows = provisioning.rows(org, CHANNEL_TABLE)
    return [r for r in rows if r.data.get("msdyn_occustomchannelid") == MESSAGING_API_CHANNEL]


def settings_for(org: Org) -> MessagingSettings:
    found = MessagingSettings.objects.filter(org=org).first()
    if found is None:
        found, _ = MessagingSettings.objects.get_or_create(
            org=org, defaults={"base_url": settings.PUBLIC_BASE_URL}
        )
    return found


def faults_for(org: Org) -> MessagingFaults:
    found = MessagingFaults.objects.filter(org=org).first()
    return found or MessagingFaults.objects.get_or_create(org=org)[0]


def _workstream(org: Org) -> Record | None:
    return Record.objects.filter(org=org, entity="msdyn_liveworkstream").order_by("id").first()


@transaction.atomic
def configure(
    org: Org,
    *,
    webhook_url: str | None = None,
    base_url: str | None = None,
    **switches: object,
) -> Record:
    """The org's channel row (created once), its webhook URL and switches updated as given."""
    if not org.omnichannel:
        raise ChannelSetupError(
            f"The org {org.slug!r} has no Omnichannel (created --without-omnichannel), so it "
            "cannot hold a messaging channel."
        )
    _set_switches(org, base_url, switches)
    # Orgs made before the channel table existed: their full role learns its privileges too.
    if org.roles.filter(name=provisioning.FULL_ROLE).exists():
        provisioning.add_role(org, provisioning.FULL_ROLE, all_privileges())
    found = channels(org)
    row = found[0] if found else _create_row(org)
    if webhook_url is not None:
        row.data["msdyn_webhookurl"] = _checked_url(webhook_url)
        row.version += 1
        row.save()
    return row


def _create_row(org: Org) -> Record:
    app = provisioning.integration_app(org)
    stream = _workstream(org)
    data = {
        "msdyn_name": CHANNEL_NAME,
        "msdyn_occustomchannelid": MESSAGING_API_CHANNEL,
        "msdyn_appid": str(app.client_id),
        "msdyn_tenantid": str(org.azure_tenant_id),
        "msdyn_webhookurl": "",
        "msdyn_liveworkstreamid": (
            {"id": str(stream.record_id), "entity": "msdyn_liveworkstream"} if stream else None
        ),
        "msdyn_enablefileattachmentsforcustomers": True,
        "msdyn_enablefileattachmentsforagents": True,
        "statecode": 0,
        "statuscode": 1,
    }
    stamp = now_iso()
    return Record.objects.create(
        org=org,
        entity=CHANNEL_TABLE,
        record_id=uuid.uuid4(),
        data={"createdon": stamp, "modifiedon": stamp, **data},
    )


def _checked_url(url: str) -> str:
    if not url.startswith(("http://", "https://")) or len(url) > 500:
        raise ChannelSetupError(
            f"The webhook URL {url!r} must start with http:// or https:// and be at most 500 "
            "characters (msdyn_webhookurl's length)."
        )
    return url


def _set_switches(org: Org, base_url: str | None, switches: dict[str, object]) -> None:
    chosen = settings_for(org)
    if base_url:
        chosen.base_url = base_url.rstrip("/")
    for name, value in switches.items():
        if value is None:
            continue
        if name in SWITCHES and value not in SWITCHES[name]:
            allowed = ", ".join(str(v) for v in SWITCHES[name])
            raise ChannelSetupError(f"{name} must be one of {allowed}, not {value!r}.")
        if name in NUMBERS and not NUMBERS[name][0] <= int(value) <= NUMBERS[name][1]:
            low, high = NUMBERS[name]
            raise ChannelSetupError(f"{name} must be between {low} and {high}, not {value}.")
        if name not in SWITCHES and name not in NUMBERS:
            raise ChannelSetupError(f"Unknown messaging switch {name!r}.")
        setattr(chosen, name, value)
    chosen.save()


def unlink_workstream(org: Org) -> None:
    """Take the channel out of its workstream (the API then answers 30014)."""
    for row in channels(org):
        row.data["msdyn_liveworkstreamid"] = None
        row.save()


def live_chat_fields(org: Org, base_url: str | None = None) -> dict:
    """What a tenant needs to reach this org's Messaging API and to receive its webhook."""
    found = channels(org)
    if not found:
        raise ChannelSetupError(f"The org {org.slug!r} has no messaging channel yet.")
    row = found[0]
    chosen = settings_for(org)
    return {
        "base_url": messaging_base_url(org, base_url or chosen.base_url),
        "org_id": str(org.organization_id),
        "channel_id": str(row.record_id),
        "scope": f"{messaging_resource(org)}/.default",
        "client_id": row.data.get("msdyn_appid", ""),
        "webhook_url": row.data.get("msdyn_webhookurl", ""),
        "switches": {name: getattr(chosen, name) for name in (*SWITCHES, *NUMBERS)},
    }
