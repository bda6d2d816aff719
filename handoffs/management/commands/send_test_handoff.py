"""manage.py send_test_handoff <slug> --channel <channel>: sign and POST a sample handoff."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from handoffs import channels
from handoffs.channels import sample_handoff
from handoffs.management.playing_opencx import send_signed, server_url, tenant_named


class Command(BaseCommand):
    help = "Send a realistic, signed sample handoff to the running server and print the answer."

    def add_arguments(self, parser) -> None:
        parser.add_argument("slug")
        parser.add_argument("--channel", required=True, choices=channels.CODES)
        parser.add_argument("--base-url", default=None, help="default: PUBLIC_BASE_URL")
        parser.add_argument("--session-id", default=None)

    def handle(self, *args, **options) -> None:
        tenant = tenant_named(options["slug"])
        url = f"{server_url(options['base_url'])}/hooks/opencx/{tenant.webhook_key}/"
        body = sample_handoff(options["channel"], options["session_id"])
        send_signed(
            self,
            tenant,
            url,
            body,
            purpose="test-handoff",
            refused="The webhook refused the handoff",
        )
