"""manage.py send_test_handoff <slug> --channel <channel>: sign and POST a sample handoff."""

from __future__ import annotations

import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from handoffs import channels
from handoffs.channels import sample_handoff
from handoffs.inbound import signing
from handoffs.models import Tenant
from handoffs.outbound import http


class Command(BaseCommand):
    help = "Send a realistic, signed sample handoff to the running server and print the answer."

    def add_arguments(self, parser) -> None:
        parser.add_argument("slug")
        parser.add_argument("--channel", required=True, choices=channels.CODES)
        parser.add_argument("--base-url", default=None, help="default: PUBLIC_BASE_URL")
        parser.add_argument("--session-id", default=None)

    def handle(self, *args, **options) -> None:
        tenant = Tenant.objects.filter(slug=options["slug"]).first()
        if tenant is None:
            raise CommandError(
                f"No tenant {options['slug']!r}: create it with manage.py create_tenant."
            )
        base_url = (options["base_url"] or settings.PUBLIC_BASE_URL).rstrip("/")
        url = f"{base_url}/hooks/opencx/{tenant.webhook_key}/"
        body = json.dumps(sample_handoff(options["channel"], options["session_id"])).encode()
        headers = signing.signed_headers(tenant.webhook_secret, body)
        try:
            response, _ = http.post_json("test-handoff", url, body, headers)
        except http.OutboundError as exc:
            raise CommandError(
                f"{exc.message} Is the server running at {base_url}? Start it with `make run`, "
                "or pass --base-url with the address it runs on."
            ) from None
        self.stdout.write(f"HTTP {response.status_code}")
        self.stdout.write(response.text)
        if response.status_code >= 400:
            raise CommandError(f"The webhook refused the handoff (HTTP {response.status_code}).")
