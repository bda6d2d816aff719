"""What the commands that play OpenCX share: find the tenant, sign a body as OpenCX signs it,
POST it to the running server, and print the answer (or say why it could not be sent)."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from handoffs.inbound import signing
from handoffs.models import Tenant
from handoffs.outbound import http


def tenant_named(slug: str) -> Tenant:
    tenant = Tenant.objects.filter(slug=slug).first()
    if tenant is None:
        raise CommandError(f"No tenant {slug!r}: create it with manage.py create_tenant.")
    return tenant


def server_url(given: str | None) -> str:
    """The running server's address: --base-url, else PUBLIC_BASE_URL."""
    return (given or settings.PUBLIC_BASE_URL).rstrip("/")


def send_signed(
    command: BaseCommand,
    tenant: Tenant,
    url: str,
    body: dict[str, Any],
    *,
    purpose: str,
    refused: str,
) -> None:
    """POST the body signed with the tenant's webhook secret; print the answer; fail on 4xx/5xx."""
    raw = json.dumps(body).encode()
    try:
        response, _ = http.post_json(
            purpose, url, raw, signing.signed_headers(tenant.webhook_secret, raw)
        )
    except http.OutboundError as exc:
        base_url = url.split("/hooks/", 1)[0]
        raise CommandError(
            f"{exc.message} Is the server running at {base_url}? Start it with `make run`, "
            "or pass --base-url with the address it runs on."
        ) from None
    command.stdout.write(f"HTTP {response.status_code}")
    command.stdout.write(response.text)
    if response.status_code >= 400:
        raise CommandError(f"{refused} (HTTP {response.status_code}).")
