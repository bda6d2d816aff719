"""manage.py send_test_message <slug> <session_id> [text]: sign and POST a customer message.

What OpenCX does when the customer writes again in a chat handed to a rep: a message, a typing
signal (--type typing) or the end (--type end), signed like the webhook.
"""

from __future__ import annotations

import uuid
from urllib.parse import quote

from django.core.management.base import BaseCommand, CommandError

from handoffs.livechat.relay.models import CustomerMessage
from handoffs.management.playing_opencx import send_signed, server_url, tenant_named


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
        tenant = tenant_named(options["slug"])
        if options["type"] == "message" and not options["text"].strip():
            raise CommandError('Give the text to send, e.g. send_test_message demo sess-1 "Hi".')
        session = quote(options["session_id"], safe="")
        url = (
            f"{server_url(options['base_url'])}/hooks/opencx/{tenant.webhook_key}"
            f"/sessions/{session}/messages"
        )
        body = {
            "message_id": options["message_id"] or f"msg-{uuid.uuid4().hex[:12]}",
            "type": options["type"],
            "text": options["text"],
        }
        send_signed(
            self, tenant, url, body, purpose="test-message", refused="The message was refused"
        )
