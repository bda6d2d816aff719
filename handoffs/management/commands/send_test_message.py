"""manage.py send_test_message <slug> <session_id> [text]: sign and POST a customer message.

What OpenCX does when the customer writes again in a chat handed to a rep: a message, a typing
signal (--type typing) or the end (--type end), signed like the webhook.
"""

from __future__ import annotations

import json
import uuid
from urllib.parse import quote

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from handoffs.inbound import signing
from handoffs.livechat.relay.models import CustomerMessage
from handoffs.models import Tenant
from handoffs.outbound import http


class Command(BaseCommand):
    help = "Send a signed customer message to a live chat on the running server."

    def add_arguments(self, parser) -> None:
        parser.add_argument("slug")
        parser.add_argument("session_id")
        parser.add_argument("text", nargs="?", default="")
        parser.add_argument("--type", default="message", choices=CustomerMessage.Kind.values)
        parser.add_argument("--message-id", default=None, help="default: a new random id")
        parser.add_argument("--base-url", default=None, help="default: PUBLIC_BASE_URL")

    def handle(self, *args, **options) -> None:
        tenant = Tenant.objects.filter(slug=options["slug"]).first()
        if tenant is None:
            raise CommandError(f"No tenant {options['slug']!r}: see manage.py create_tenant.")
        if options["type"] == "message" and not options["text"].strip():
            raise CommandError('Give the text to send, e.g. send_test_message demo sess-1 "Hi".')
        base_url = (options["base_url"] or settings.PUBLIC_BASE_URL).rstrip("/")
        session = quote(options["session_id"], safe="")
        url = f"{base_url}/hooks/opencx/{tenant.webhook_key}/sessions/{session}/messages"
        body = {
            "message_id": options["message_id"] or f"msg-{uuid.uuid4().hex[:12]}",
            "type": options["type"],
            "text": options["text"],
        }
        raw = json.dumps(body).encode()
        try:
            response, _ = http.post_json(
                "test-message", url, raw, signing.signed_headers(tenant.webhook_secret, raw)
            )
        except http.OutboundError as exc:
            raise CommandError(
                f"{exc.message} Is the server running at {base_url}? Start it with `make run`, "
                "or pass --base-url with the address it runs on."
            ) from None
        self.stdout.write(f"HTTP {response.status_code}")
        self.stdout.write(response.text)
        if response.status_code >= 400:
            raise CommandError(f"The message was refused (HTTP {response.status_code}).")
